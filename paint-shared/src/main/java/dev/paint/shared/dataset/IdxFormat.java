package dev.paint.shared.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads and writes the IDX format of the MNIST family: a big-endian magic number whose third byte is the element type
 * and fourth byte the number of dimensions, one big-endian 32-bit size per dimension, then the elements.
 *
 * <p>paint uses unsigned bytes only: labels as a 1-D array, grayscale images as N x H x W, and images with more than
 * one channel as N x C x H x W. Readers accept gzip-compressed files, recognised by their first two bytes. Every error
 * names the file and the expected and actual values.
 */
public final class IdxFormat {

  /** Magic number of a 1-D unsigned byte array: labels. */
  public static final int LABELS_MAGIC = 0x00000801;
  /** Magic number of a 3-D unsigned byte array: grayscale images, N x H x W. */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of a 4-D unsigned byte array: images with channels, N x C x H x W. */
  public static final int IMAGES_NCHW_MAGIC = 0x00000804;

  private static final int UNSIGNED_BYTE_TYPE = 0x08;
  private static final int GZIP_MAGIC_FIRST = 0x1f;
  private static final int GZIP_MAGIC_SECOND = 0x8b;
  private static final int MAX_LABEL = 255;

  private IdxFormat() {}

  /** Images decoded from an IDX file, before they are paired with labels. */
  public record IdxImages(int count, int channels, int height, int width, byte[] pixels) {}

  /** Reads an images file and a labels file, plain or gzip-compressed, and checks that their counts are equal. */
  public static LabeledImages read(Path imagesFile, Path labelsFile) {
    return decode(readFile(imagesFile), imagesFile.toString(), readFile(labelsFile), labelsFile.toString());
  }

  /** Writes images and labels as two uncompressed IDX files. */
  public static void write(LabeledImages images, Path imagesFile, Path labelsFile) {
    writeFile(imagesFile, encodeImages(images));
    writeFile(labelsFile, encodeLabels(images.labels()));
  }

  /**
   * Decodes an images and a labels IDX array and pairs them.
   *
   * @param imagesSource file name or object key of the images, for error messages
   * @param labelsSource file name or object key of the labels, for error messages
   */
  public static LabeledImages decode(byte[] images, String imagesSource, byte[] labels, String labelsSource) {
    IdxImages decodedImages = decodeImages(images, imagesSource);
    int[] decodedLabels = decodeLabels(labels, labelsSource);
    if (decodedImages.count() != decodedLabels.length) {
      throw new DatasetFormatException(
          "Image and label counts differ: " + imagesSource + " has " + decodedImages.count() + " images, "
              + labelsSource + " has " + decodedLabels.length + " labels");
    }

    return new LabeledImages(
        decodedImages.channels(), decodedImages.height(), decodedImages.width(), decodedImages.pixels(), decodedLabels);
  }

  /** Decodes a 3-D (N x H x W) or 4-D (N x C x H x W) unsigned byte array, plain or gzip-compressed. */
  public static IdxImages decodeImages(byte[] data, String source) {
    ByteBuffer buffer = ByteBuffer.wrap(gunzipIfCompressed(data, source));
    int magic = readMagic(buffer, source);
    if (magic != IMAGES_MAGIC && magic != IMAGES_NCHW_MAGIC) {
      throw new DatasetFormatException(
          "Invalid IDX images file " + source + ": magic number is " + hex(magic) + ", expected " + hex(IMAGES_MAGIC)
              + " (unsigned bytes, N x H x W) or " + hex(IMAGES_NCHW_MAGIC) + " (unsigned bytes, N x C x H x W)");
    }

    int[] dimensions = readDimensions(buffer, magic & 0xff, source);
    for (int i = 1; i < dimensions.length; i++) {
      if (dimensions[i] == 0) {
        throw new DatasetFormatException(
            "Invalid IDX images file " + source + ": dimensions are " + Arrays.toString(dimensions) + ", expected"
                + " channels, height and width of at least 1");
      }
    }
    byte[] payload = readPayload(buffer, dimensions, source);

    if (dimensions.length == 3) {
      return new IdxImages(dimensions[0], 1, dimensions[1], dimensions[2], payload);
    }
    return new IdxImages(dimensions[0], dimensions[1], dimensions[2], dimensions[3], payload);
  }

  /** Decodes a 1-D unsigned byte array of labels, plain or gzip-compressed. */
  public static int[] decodeLabels(byte[] data, String source) {
    ByteBuffer buffer = ByteBuffer.wrap(gunzipIfCompressed(data, source));
    int magic = readMagic(buffer, source);
    if (magic != LABELS_MAGIC) {
      throw new DatasetFormatException(
          "Invalid IDX labels file " + source + ": magic number is " + hex(magic) + ", expected " + hex(LABELS_MAGIC)
              + " (unsigned bytes, 1 dimension)");
    }

    int[] dimensions = readDimensions(buffer, 1, source);
    byte[] payload = readPayload(buffer, dimensions, source);

    int[] labels = new int[payload.length];
    for (int i = 0; i < payload.length; i++) {
      labels[i] = Byte.toUnsignedInt(payload[i]);
    }
    return labels;
  }

  /** Encodes images as an uncompressed IDX array: 3-D for one channel, 4-D otherwise. */
  public static byte[] encodeImages(LabeledImages images) {
    boolean grayscale = images.channels() == 1;
    int[] dimensions =
        grayscale
            ? new int[] {images.size(), images.height(), images.width()}
            : new int[] {images.size(), images.channels(), images.height(), images.width()};
    ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + images.pixels().length);

    buffer.putInt(grayscale ? IMAGES_MAGIC : IMAGES_NCHW_MAGIC);
    for (int dimension : dimensions) {
      buffer.putInt(dimension);
    }
    buffer.put(images.pixels());

    return buffer.array();
  }

  /** Encodes labels as an uncompressed 1-D IDX array; each label must fit in an unsigned byte. */
  public static byte[] encodeLabels(int[] labels) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
    buffer.putInt(LABELS_MAGIC);
    buffer.putInt(labels.length);

    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] > MAX_LABEL) {
        throw new IllegalArgumentException(
            "Label " + i + " is " + labels[i] + ", but IDX stores labels as unsigned bytes, 0 to " + MAX_LABEL);
      }
      buffer.put((byte) labels[i]);
    }

    return buffer.array();
  }

  /** Returns {@code data} decompressed when it starts with the gzip magic bytes, else {@code data} itself. */
  static byte[] gunzipIfCompressed(byte[] data, String source) {
    boolean gzip =
        data.length >= 2
            && Byte.toUnsignedInt(data[0]) == GZIP_MAGIC_FIRST
            && Byte.toUnsignedInt(data[1]) == GZIP_MAGIC_SECOND;
    if (!gzip) {
      return data;
    }

    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new DatasetFormatException(
          "Invalid gzip data in " + source + ": " + e.getMessage() + ". The file is truncated or corrupt; fetch it"
              + " again",
          e);
    }
  }

  private static int readMagic(ByteBuffer buffer, String source) {
    if (buffer.remaining() < 4) {
      throw new DatasetFormatException(
          "Invalid IDX file " + source + ": it has " + buffer.remaining() + " bytes, expected at least a 4-byte magic"
              + " number");
    }
    int magic = buffer.getInt();
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE_TYPE) {
      throw new DatasetFormatException(
          "Invalid IDX file " + source + ": magic number is " + hex(magic) + ", expected 0x0000 then type 0x08"
              + " (unsigned byte) then the number of dimensions");
    }
    return magic;
  }

  private static int[] readDimensions(ByteBuffer buffer, int count, String source) {
    if (buffer.remaining() < 4L * count) {
      throw new DatasetFormatException(
          "Invalid IDX file " + source + ": header declares " + count + " dimensions (" + 4 * count + " bytes), but"
              + " only " + buffer.remaining() + " bytes follow the magic number");
    }
    int[] dimensions = new int[count];
    for (int i = 0; i < count; i++) {
      dimensions[i] = buffer.getInt();
      if (dimensions[i] < 0) {
        throw new DatasetFormatException(
            "Invalid IDX file " + source + ": dimension " + i + " is " + Integer.toUnsignedString(dimensions[i])
                + ", expected at most " + Integer.MAX_VALUE);
      }
    }
    return dimensions;
  }

  private static byte[] readPayload(ByteBuffer buffer, int[] dimensions, String source) {
    long expected = 1;
    for (int dimension : dimensions) {
      expected *= dimension;
      if (expected > Integer.MAX_VALUE) {
        throw new DatasetFormatException(
            "Invalid IDX file " + source + ": dimensions " + Arrays.toString(dimensions) + " exceed "
                + Integer.MAX_VALUE + " elements");
      }
    }
    if (buffer.remaining() != expected) {
      throw new DatasetFormatException(
          "Invalid IDX file " + source + ": dimensions " + Arrays.toString(dimensions) + " need " + expected
              + " bytes of data, found " + buffer.remaining());
    }

    byte[] payload = new byte[(int) expected];
    buffer.get(payload);
    return payload;
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read IDX file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writeFile(Path file, byte[] data) {
    try {
      Files.write(file, data);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write IDX file " + file + ": " + e.getMessage(), e);
    }
  }

  private static String hex(int magic) {
    return String.format("0x%08x", magic);
  }
}
