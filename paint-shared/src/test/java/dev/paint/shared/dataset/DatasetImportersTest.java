package dev.paint.shared.dataset;

import static dev.paint.shared.dataset.IdxFormatTest.gzip;
import static dev.paint.shared.dataset.IdxFormatTest.sequentialImages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetImportersTest {

  private static final ImageSize MNIST_SIZE = new ImageSize(1, 28, 28);

  @TempDir
  Path directory;

  @Test
  void idxImportReadsTrainAndTestSplits() throws IOException {
    LabeledImages train = sequentialImages(1, 28, 28, new int[] {0, 2, 1, 2});
    LabeledImages test = sequentialImages(1, 28, 28, new int[] {1, 0});
    Files.write(directory.resolve("train-images-idx3-ubyte.gz"), gzip(IdxFormat.encodeImages(train)));
    Files.write(directory.resolve("train-labels-idx1-ubyte.gz"), gzip(IdxFormat.encodeLabels(train.labels())));
    Files.write(directory.resolve("t10k-images-idx3-ubyte"), IdxFormat.encodeImages(test));
    Files.write(directory.resolve("t10k-labels-idx1-ubyte"), IdxFormat.encodeLabels(test.labels()));

    RawDataset raw = DatasetImporters.importIdx(directory, List.of("a", "b", "c"), MNIST_SIZE);

    assertThat(raw.train()).isEqualTo(train);
    assertThat(raw.test()).isEqualTo(test);
    assertThat(raw.classNames()).containsExactly("a", "b", "c");
    assertThat(raw.sourceChecksums()).containsOnlyKeys(
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    assertThat(raw.sourceChecksums().get("t10k-images-idx3-ubyte"))
        .isEqualTo(Sha256.hex(Files.readAllBytes(directory.resolve("t10k-images-idx3-ubyte"))));
  }

  @Test
  void idxImportWithoutTestFilesHasNoTest() throws IOException {
    writeIdxTrain(sequentialImages(1, 28, 28, new int[] {0, 1}));

    RawDataset raw = DatasetImporters.importIdx(directory, List.of("a", "b"), MNIST_SIZE);

    assertThat(raw.hasTest()).isFalse();
    assertThat(raw.train().size()).isEqualTo(2);
  }

  @Test
  void idxImportResizesToRequestedSize() throws IOException {
    writeIdxTrain(sequentialImages(1, 8, 8, new int[] {0, 1, 1}));

    RawDataset raw = DatasetImporters.importIdx(directory, List.of("a", "b"), new ImageSize(3, 16, 12));

    assertThat(raw.train().channels()).isEqualTo(3);
    assertThat(raw.train().height()).isEqualTo(16);
    assertThat(raw.train().width()).isEqualTo(12);
    assertThat(raw.train().labels()).containsExactly(0, 1, 1);
  }

  @Test
  void idxImportRejectsLabelOutsideClasses() throws IOException {
    writeIdxTrain(sequentialImages(1, 28, 28, new int[] {0, 1, 5}));

    assertThatThrownBy(() -> DatasetImporters.importIdx(directory, List.of("a", "b"), MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(directory.resolve("train-labels-idx1-ubyte").toString())
        .hasMessageContaining("image 2 is 5")
        .hasMessageContaining("only 2 class names");
  }

  @Test
  void idxImportRejectsMissingTrainLabels() throws IOException {
    Files.write(
        directory.resolve("train-images-idx3-ubyte"),
        IdxFormat.encodeImages(sequentialImages(1, 28, 28, new int[] {0})));

    assertThatThrownBy(() -> DatasetImporters.importIdx(directory, List.of("a"), MNIST_SIZE))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-labels-idx1-ubyte")
        .hasMessageContaining(directory.toString());
  }

  @Test
  void idxImportRejectsHalfTestPair() throws IOException {
    LabeledImages images = sequentialImages(1, 28, 28, new int[] {0});
    writeIdxTrain(images);
    Files.write(directory.resolve("t10k-images-idx3-ubyte"), IdxFormat.encodeImages(images));

    assertThatThrownBy(() -> DatasetImporters.importIdx(directory, List.of("a"), MNIST_SIZE))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("t10k-labels-idx1-ubyte");
  }

  @Test
  void mnistJsonImportLabelsByFileDigit() throws IOException {
    for (int digit = 0; digit <= 9; digit++) {
      int count = digit == 3 ? 2 : 1;
      writeMnistJson(digit, count, digit / 10.0);
    }

    RawDataset raw = DatasetImporters.importMnistJson(directory, MNIST_SIZE);

    assertThat(raw.classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    assertThat(raw.train().labels()).containsExactly(0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9);
    assertThat(raw.hasTest()).isFalse();
    // Each image has value v at its first pixel and 0.624 at the last. The stored byte is v * 255, rounded.
    assertThat(raw.train().pixel(0, 0, 0, 0)).isEqualTo(0);
    assertThat(raw.train().pixel(5, 0, 0, 0)).isEqualTo(102);
    assertThat(raw.train().pixel(10, 0, 0, 0)).isEqualTo(230);
    assertThat(raw.train().pixel(10, 0, 27, 27)).isEqualTo(159);
    assertThat(raw.sourceChecksums()).hasSize(10);
  }

  @Test
  void mnistJsonImportRejectsValueAboveOne() throws IOException {
    for (int digit = 0; digit <= 9; digit++) {
      writeMnistJson(digit, 1, digit == 7 ? 1.5 : 0.0);
    }

    assertThatThrownBy(() -> DatasetImporters.importMnistJson(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(directory.resolve("7.json").toString())
        .hasMessageContaining("data[0] is 1.5");
  }

  @Test
  void mnistJsonImportRejectsPartialImage() throws IOException {
    for (int digit = 0; digit <= 9; digit++) {
      writeMnistJson(digit, 1, 0.0);
    }
    Files.writeString(directory.resolve("4.json"), "{\"data\": [0, 0.5, 1]}");

    assertThatThrownBy(() -> DatasetImporters.importMnistJson(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(directory.resolve("4.json").toString())
        .hasMessageContaining("has 3 values");
  }

  @Test
  void mnistJsonImportRejectsMissingDigitFile() throws IOException {
    for (int digit = 0; digit <= 8; digit++) {
      writeMnistJson(digit, 1, 0.0);
    }

    assertThatThrownBy(() -> DatasetImporters.importMnistJson(directory, MNIST_SIZE))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(directory.resolve("9.json").toString());
  }

  @Test
  void uciDigitsImportScalesPixelsToBytes() throws IOException {
    Path csv = directory.resolve("digits.csv.gz");
    Files.write(csv, gzip(digitsCsv(new int[][] {digitsRow(16, 7), digitsRow(8, 3), digitsRow(1, 0)})));

    RawDataset raw = DatasetImporters.importUciDigitsCsv(csv, new ImageSize(1, 8, 8));

    assertThat(raw.train().labels()).containsExactly(7, 3, 0);
    assertThat(raw.train().pixel(0, 0, 0, 0)).isEqualTo(255);
    assertThat(raw.train().pixel(1, 0, 0, 0)).isEqualTo(128);
    assertThat(raw.train().pixel(2, 0, 0, 0)).isEqualTo(16);
    assertThat(raw.train().pixel(0, 0, 7, 7)).isZero();
    assertThat(raw.hasTest()).isFalse();
    assertThat(raw.sourceChecksums()).containsExactly(Map.entry("digits.csv.gz", Sha256.hex(Files.readAllBytes(csv))));
  }

  @Test
  void uciDigitsImportFindsFileInDirectory() throws IOException {
    Files.write(directory.resolve("digits.csv.gz"), gzip(digitsCsv(new int[][] {digitsRow(16, 2)})));

    RawDataset raw = DatasetImporters.importUciDigitsCsv(directory, MNIST_SIZE);

    assertThat(raw.train().size()).isEqualTo(1);
    assertThat(raw.train().height()).isEqualTo(28);
    assertThat(raw.train().pixel(0, 0, 0, 0)).isEqualTo(255);
  }

  @Test
  void uciDigitsImportRejectsPixelAboveSixteen() throws IOException {
    Path csv = directory.resolve("digits.csv");
    Files.write(csv, digitsCsv(new int[][] {digitsRow(16, 1), digitsRow(17, 1)}));

    assertThatThrownBy(() -> DatasetImporters.importUciDigitsCsv(csv, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(csv + " line 2 column 1")
        .hasMessageContaining("'17'");
  }

  @Test
  void uciDigitsImportRejectsShortRow() throws IOException {
    Path csv = directory.resolve("digits.csv");
    Files.writeString(csv, "0,1,2,3\n");

    assertThatThrownBy(() -> DatasetImporters.importUciDigitsCsv(csv, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(csv + " line 1")
        .hasMessageContaining("has 4 values, expected 65");
  }

  @Test
  void imageFolderImportReadsPngAndJpeg() throws IOException {
    writeGrayPng(directory.resolve("cat/b.png"), 200);
    writeGrayPng(directory.resolve("cat/a.png"), 40);
    writeRgbJpeg(directory.resolve("dog/photo.jpg"), 120, 120, 120);

    RawDataset raw = DatasetImporters.importImageFolder(directory, MNIST_SIZE);

    assertThat(raw.classNames()).containsExactly("cat", "dog");
    assertThat(raw.train().labels()).containsExactly(0, 0, 1);
    assertThat(raw.hasTest()).isFalse();
    // Files are read in name order, and a grayscale PNG keeps its exact values.
    assertThat(raw.train().pixel(0, 0, 13, 13)).isEqualTo(40);
    assertThat(raw.train().pixel(1, 0, 13, 13)).isEqualTo(200);
    // JPEG is lossy, so the flat gray only comes back approximately.
    assertThat(raw.train().pixel(2, 0, 13, 13)).isBetween(115, 125);
    assertThat(raw.sourceChecksums()).containsOnlyKeys("cat/a.png", "cat/b.png", "dog/photo.jpg");
  }

  @Test
  void imageFolderImportUsesTrainAndTestRoots() throws IOException {
    writeGrayPng(directory.resolve("train/ant/1.png"), 10);
    writeGrayPng(directory.resolve("train/bee/1.png"), 20);
    writeGrayPng(directory.resolve("train/bee/2.png"), 30);
    writeGrayPng(directory.resolve("test/ant/1.png"), 40);
    writeGrayPng(directory.resolve("test/bee/1.png"), 50);

    RawDataset raw = DatasetImporters.importImageFolder(directory, MNIST_SIZE);

    assertThat(raw.classNames()).containsExactly("ant", "bee");
    assertThat(raw.train().labels()).containsExactly(0, 1, 1);
    assertThat(raw.test().labels()).containsExactly(0, 1);
    assertThat(raw.test().pixel(1, 0, 0, 0)).isEqualTo(50);
    assertThat(raw.sourceChecksums()).containsKey("test/bee/1.png");
  }

  @Test
  void imageFolderImportConvertsColour() throws IOException {
    writeRgbPng(directory.resolve("red/1.png"), 255, 0, 0);

    RawDataset gray = DatasetImporters.importImageFolder(directory, MNIST_SIZE);
    RawDataset rgb = DatasetImporters.importImageFolder(directory, new ImageSize(3, 28, 28));

    assertThat(gray.train().pixel(0, 0, 5, 5)).isEqualTo(76);
    assertThat(rgb.train().pixel(0, 0, 5, 5)).isEqualTo(255);
    assertThat(rgb.train().pixel(0, 1, 5, 5)).isZero();
    assertThat(rgb.train().pixel(0, 2, 5, 5)).isZero();
  }

  @Test
  void imageFolderImportRejectsCorruptPng() throws IOException {
    writeGrayPng(directory.resolve("cat/good.png"), 90);
    Path corrupt = directory.resolve("cat/truncated.png");
    byte[] valid = Files.readAllBytes(directory.resolve("cat/good.png"));
    Files.write(corrupt, Arrays.copyOf(valid, valid.length / 2));

    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(corrupt.toString());
  }

  @Test
  void imageFolderImportRejectsNonImageBytes() throws IOException {
    Path fake = directory.resolve("cat/notes.png");
    Files.createDirectories(fake.getParent());
    Files.writeString(fake, "not an image");

    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(fake.toString())
        .hasMessageContaining("not a PNG or JPEG");
  }

  @Test
  void imageFolderImportRejectsUnsupportedFile() throws IOException {
    writeGrayPng(directory.resolve("cat/1.png"), 90);
    Path text = directory.resolve("cat/readme.txt");
    Files.writeString(text, "cats");

    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(text.toString());
  }

  @Test
  void imageFolderImportRejectsEmptyClass() throws IOException {
    writeGrayPng(directory.resolve("cat/1.png"), 90);
    Files.createDirectories(directory.resolve("dog"));

    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(directory.resolve("dog").toString())
        .hasMessageContaining("no images");
  }

  @Test
  void imageFolderImportRejectsEmptyRoot() {
    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(directory.toString())
        .hasMessageContaining("no class directories");
  }

  @Test
  void imageFolderImportRejectsDifferentTestClasses() throws IOException {
    writeGrayPng(directory.resolve("train/ant/1.png"), 10);
    writeGrayPng(directory.resolve("test/bee/1.png"), 10);

    assertThatThrownBy(() -> DatasetImporters.importImageFolder(directory, MNIST_SIZE))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("[ant]")
        .hasMessageContaining("[bee]");
  }

  private void writeIdxTrain(LabeledImages images) throws IOException {
    Files.write(directory.resolve("train-images-idx3-ubyte"), IdxFormat.encodeImages(images));
    Files.write(directory.resolve("train-labels-idx1-ubyte"), IdxFormat.encodeLabels(images.labels()));
  }

  /** Writes {@code count} images whose first value is {@code first}, last value 0.624 and the rest 0. */
  private void writeMnistJson(int digit, int count, double first) throws IOException {
    StringJoiner values = new StringJoiner(",", "{\"data\":[", "]}");
    for (int image = 0; image < count; image++) {
      values.add(Double.toString(first));
      for (int i = 1; i < 783; i++) {
        values.add("0");
      }
      values.add("0.624");
    }
    Files.writeString(directory.resolve(digit + ".json"), values.toString());
  }

  private static int[] digitsRow(int firstPixel, int label) {
    int[] row = new int[65];
    row[0] = firstPixel;
    row[64] = label;
    return row;
  }

  private static byte[] digitsCsv(int[][] rows) {
    StringBuilder csv = new StringBuilder();
    for (int[] row : rows) {
      StringJoiner line = new StringJoiner(",");
      for (int value : row) {
        line.add(Integer.toString(value));
      }
      csv.append(line).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static void writeGrayPng(Path file, int value) throws IOException {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        image.getRaster().setSample(x, y, 0, value);
      }
    }
    write(image, "png", file);
  }

  private static void writeRgbPng(Path file, int red, int green, int blue) throws IOException {
    write(filledRgb(red, green, blue), "png", file);
  }

  private static void writeRgbJpeg(Path file, int red, int green, int blue) throws IOException {
    write(filledRgb(red, green, blue), "jpeg", file);
  }

  private static BufferedImage filledRgb(int red, int green, int blue) {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    int rgb = (red << 16) | (green << 8) | blue;
    for (int y = 0; y < 30; y++) {
      for (int x = 0; x < 40; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  private static void write(BufferedImage image, String format, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    assertThat(ImageIO.write(image, format, file.toFile())).as("ImageIO writer for %s", format).isTrue();
  }
}
