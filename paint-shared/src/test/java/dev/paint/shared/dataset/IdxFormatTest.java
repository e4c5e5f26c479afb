package dev.paint.shared.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFormatTest {

  @TempDir
  Path directory;

  @Test
  void grayscaleRoundTripKeepsBytes() {
    LabeledImages images = sequentialImages(1, 3, 4, new int[] {7, 0, 255});
    Path imagesFile = directory.resolve("images.idx");
    Path labelsFile = directory.resolve("labels.idx");

    IdxFormat.write(images, imagesFile, labelsFile);
    LabeledImages read = IdxFormat.read(imagesFile, labelsFile);

    assertThat(read).isEqualTo(images);
  }

  @Test
  void grayscaleWritesThreeDimensionalHeader() throws IOException {
    LabeledImages images = sequentialImages(1, 3, 4, new int[] {1, 2});
    Path imagesFile = directory.resolve("images.idx");
    Path labelsFile = directory.resolve("labels.idx");

    IdxFormat.write(images, imagesFile, labelsFile);

    ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(imagesFile));
    assertThat(header.getInt()).isEqualTo(0x00000803);
    assertThat(new int[] {header.getInt(), header.getInt(), header.getInt()}).containsExactly(2, 3, 4);
    assertThat(header.remaining()).isEqualTo(2 * 3 * 4);
    ByteBuffer labels = ByteBuffer.wrap(Files.readAllBytes(labelsFile));
    assertThat(labels.getInt()).isEqualTo(0x00000801);
    assertThat(labels.getInt()).isEqualTo(2);
    assertThat(new int[] {labels.get(), labels.get()}).containsExactly(1, 2);
  }

  @Test
  void rgbRoundTripUsesFourDimensions() {
    LabeledImages images = sequentialImages(3, 2, 2, new int[] {4, 5});

    byte[] encoded = IdxFormat.encodeImages(images);
    LabeledImages decoded = IdxFormat.decode(encoded, "images", IdxFormat.encodeLabels(images.labels()), "labels");

    ByteBuffer header = ByteBuffer.wrap(encoded);
    assertThat(header.getInt()).isEqualTo(0x00000804);
    assertThat(new int[] {header.getInt(), header.getInt(), header.getInt(), header.getInt()})
        .containsExactly(2, 3, 2, 2);
    assertThat(decoded).isEqualTo(images);
  }

  @Test
  void gzipFilesReadTransparently() throws IOException {
    LabeledImages images = sequentialImages(1, 2, 2, new int[] {3, 9, 1});
    Path imagesFile = directory.resolve("train-images-idx3-ubyte.gz");
    Path labelsFile = directory.resolve("train-labels-idx1-ubyte.gz");
    Files.write(imagesFile, gzip(IdxFormat.encodeImages(images)));
    Files.write(labelsFile, gzip(IdxFormat.encodeLabels(images.labels())));

    LabeledImages read = IdxFormat.read(imagesFile, labelsFile);

    assertThat(read).isEqualTo(images);
  }

  @Test
  void labelsMagicRejectedAsImages() throws IOException {
    Path labelsFile = directory.resolve("labels.idx");
    Files.write(labelsFile, IdxFormat.encodeLabels(new int[] {1, 2}));

    assertThatThrownBy(() -> IdxFormat.read(labelsFile, labelsFile))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(labelsFile.toString())
        .hasMessageContaining("magic number is 0x00000801")
        .hasMessageContaining("expected 0x00000803");
  }

  @Test
  void signedByteTypeRejected() {
    byte[] data = ByteBuffer.allocate(12).putInt(0x00000901).putInt(4).array();

    assertThatThrownBy(() -> IdxFormat.decodeLabels(data, "signed.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("signed.idx")
        .hasMessageContaining("0x00000901")
        .hasMessageContaining("type 0x08");
  }

  @Test
  void shortPayloadRejectedWithSizes() {
    byte[] complete = IdxFormat.encodeImages(sequentialImages(1, 2, 2, new int[] {0, 1}));
    byte[] truncated = Arrays.copyOf(complete, complete.length - 1);

    assertThatThrownBy(() -> IdxFormat.decodeImages(truncated, "short.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("short.idx")
        .hasMessageContaining("[2, 2, 2]")
        .hasMessageContaining("need 8 bytes of data, found 7");
  }

  @Test
  void trailingBytesRejectedWithSizes() {
    byte[] complete = IdxFormat.encodeLabels(new int[] {1, 2, 3});
    byte[] extended = Arrays.copyOf(complete, complete.length + 2);

    assertThatThrownBy(() -> IdxFormat.decodeLabels(extended, "long.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("long.idx")
        .hasMessageContaining("need 3 bytes of data, found 5");
  }

  @Test
  void truncatedHeaderRejected() {
    byte[] header = ByteBuffer.allocate(8).putInt(0x00000803).putInt(5).array();

    assertThatThrownBy(() -> IdxFormat.decodeImages(header, "header.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("header.idx")
        .hasMessageContaining("declares 3 dimensions");
  }

  @Test
  void fileShorterThanMagicRejected() {
    assertThatThrownBy(() -> IdxFormat.decodeLabels(new byte[] {0, 0, 8}, "tiny.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("tiny.idx")
        .hasMessageContaining("has 3 bytes");
  }

  @Test
  void differentCountsRejectedNamingBothFiles() throws IOException {
    Path imagesFile = directory.resolve("three-images.idx");
    Path labelsFile = directory.resolve("two-labels.idx");
    Files.write(imagesFile, IdxFormat.encodeImages(sequentialImages(1, 2, 2, new int[] {0, 1, 2})));
    Files.write(labelsFile, IdxFormat.encodeLabels(new int[] {0, 1}));

    assertThatThrownBy(() -> IdxFormat.read(imagesFile, labelsFile))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(imagesFile + " has 3 images")
        .hasMessageContaining(labelsFile + " has 2 labels");
  }

  @Test
  void corruptGzipRejected() throws IOException {
    byte[] compressed = gzip(IdxFormat.encodeLabels(new int[100]));
    byte[] truncated = Arrays.copyOf(compressed, compressed.length / 2);

    assertThatThrownBy(() -> IdxFormat.decodeLabels(truncated, "broken.gz"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("broken.gz")
        .hasMessageContaining("gzip");
  }

  @Test
  void zeroWidthImagesRejected() {
    byte[] data = ByteBuffer.allocate(16).putInt(0x00000803).putInt(0).putInt(28).putInt(0).array();

    assertThatThrownBy(() -> IdxFormat.decodeImages(data, "flat.idx"))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("flat.idx")
        .hasMessageContaining("[0, 28, 0]");
  }

  @Test
  void labelAboveByteRangeRejectedOnWrite() {
    assertThatThrownBy(() -> IdxFormat.encodeLabels(new int[] {3, 256}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Label 1 is 256");
  }

  /** Images whose bytes count up from an offset set by each image's label, so that a moved byte changes the content. */
  static LabeledImages sequentialImages(int channels, int height, int width, int[] labels) {
    int imageBytes = channels * height * width;
    byte[] pixels = new byte[labels.length * imageBytes];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (labels[i / imageBytes] * 7 + i);
    }
    return new LabeledImages(channels, height, width, pixels, labels);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
      out.write(data);
    }
    return buffer.toByteArray();
  }
}
