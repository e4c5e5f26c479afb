package dev.paint.shared.dataset;

/**
 * Converts images to the encoder's channel count and resizes them with a bilinear filter.
 *
 * <p>Resizing uses the triangle (bilinear) filter with pixel centres at half-integer coordinates. When shrinking, the
 * filter widens by the scale factor so that every source pixel contributes and a shrunk photo does not alias. Enlarging
 * reduces to plain bilinear interpolation with edge pixels repeated. The filter and its widening follow
 * {@code precompute_coeffs} in Pillow's {@code src/libImaging/Resample.c}, which {@code Image.resize} with
 * {@code BILINEAR} uses. Unlike Pillow, the result of the first pass is not rounded, so values can differ from
 * Pillow's by one level.
 */
public final class ImageResizer {

  // ITU-R BT.601 luma: Y = 0.299 R + 0.587 G + 0.114 B.
  private static final double LUMA_RED = 0.299;
  private static final double LUMA_GREEN = 0.587;
  private static final double LUMA_BLUE = 0.114;

  private ImageResizer() {}

  /** Returns the images converted to {@code size}'s channels and resized to its height and width. */
  public static LabeledImages resize(LabeledImages images, ImageSize size) {
    if (images.channels() == size.channels() && images.height() == size.height() && images.width() == size.width()) {
      return images;
    }

    int sourceBytes = images.imageBytes();
    byte[] pixels = new byte[Math.multiplyExact(images.size(), size.imageBytes())];
    byte[] image = new byte[sourceBytes];
    for (int i = 0; i < images.size(); i++) {
      System.arraycopy(images.pixels(), i * sourceBytes, image, 0, sourceBytes);
      byte[] resized = resizeImage(image, images.channels(), images.height(), images.width(), size);
      System.arraycopy(resized, 0, pixels, i * size.imageBytes(), resized.length);
    }

    return new LabeledImages(size.channels(), size.height(), size.width(), pixels, images.labels().clone());
  }

  /**
   * Returns one image, {@code channels x height x width} bytes in CHW order, converted to {@code size}'s channels and
   * resized to its height and width.
   */
  public static byte[] resizeImage(byte[] image, int channels, int height, int width, ImageSize size) {
    if (image.length != channels * height * width) {
      throw new IllegalArgumentException(
          "Image has " + image.length + " bytes, expected " + channels * height * width + " for " + channels + "x"
              + height + "x" + width);
    }

    byte[] converted = convertChannels(image, channels, height * width, size.channels());
    if (height == size.height() && width == size.width()) {
      return converted;
    }

    Filter rows = Filter.of(height, size.height());
    Filter columns = Filter.of(width, size.width());
    byte[] resized = new byte[size.imageBytes()];
    for (int c = 0; c < size.channels(); c++) {
      int targetOffset = c * size.height() * size.width();
      resizePlane(converted, c * height * width, height, width, rows, columns, resized, targetOffset);
    }
    return resized;
  }

  /** Converts CHW planes between 1 channel (grayscale) and 3 channels (RGB); other counts are rejected. */
  static byte[] convertChannels(byte[] image, int channels, int planeSize, int targetChannels) {
    if (channels == targetChannels) {
      return image;
    }

    byte[] converted = new byte[targetChannels * planeSize];
    if (channels == 1 && targetChannels == 3) {
      for (int c = 0; c < 3; c++) {
        System.arraycopy(image, 0, converted, c * planeSize, planeSize);
      }
      return converted;
    }
    if (channels == 3 && targetChannels == 1) {
      for (int p = 0; p < planeSize; p++) {
        converted[p] = (byte) luma(
            Byte.toUnsignedInt(image[p]),
            Byte.toUnsignedInt(image[planeSize + p]),
            Byte.toUnsignedInt(image[2 * planeSize + p]));
      }
      return converted;
    }
    throw new IllegalArgumentException(
        "Cannot convert images with " + channels + " channels to " + targetChannels + ": only grayscale (1) and RGB"
            + " (3) are supported");
  }

  /** Returns the ITU-R BT.601 luma of an sRGB pixel, 0 to 255. */
  static int luma(int red, int green, int blue) {
    return (int) Math.round(LUMA_RED * red + LUMA_GREEN * green + LUMA_BLUE * blue);
  }

  private static void resizePlane(
      byte[] source, int sourceOffset, int height, int width, Filter rows, Filter columns, byte[] target,
      int targetOffset) {
    int targetHeight = rows.weights.length;
    int targetWidth = columns.weights.length;

    // Horizontal pass into doubles, so that rounding happens once.
    double[] horizontal = new double[height * targetWidth];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < targetWidth; x++) {
        double sum = 0;
        double[] weights = columns.weights[x];
        int first = columns.first[x];
        for (int k = 0; k < weights.length; k++) {
          sum += weights[k] * Byte.toUnsignedInt(source[sourceOffset + y * width + first + k]);
        }
        horizontal[y * targetWidth + x] = sum;
      }
    }

    for (int y = 0; y < targetHeight; y++) {
      double[] weights = rows.weights[y];
      int first = rows.first[y];
      for (int x = 0; x < targetWidth; x++) {
        double sum = 0;
        for (int k = 0; k < weights.length; k++) {
          sum += weights[k] * horizontal[(first + k) * targetWidth + x];
        }
        long rounded = Math.round(sum);
        target[targetOffset + y * targetWidth + x] = (byte) Math.max(0, Math.min(255, rounded));
      }
    }
  }

  /** Normalised triangle filter weights for each output index along one axis. */
  private static final class Filter {

    final int[] first;
    final double[][] weights;

    private Filter(int[] first, double[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    static Filter of(int sourceLength, int targetLength) {
      double scale = (double) sourceLength / targetLength;
      // Shrinking widens the filter so that it averages every source pixel under the output pixel.
      double filterScale = Math.max(scale, 1.0);
      double support = filterScale;
      int[] first = new int[targetLength];
      double[][] weights = new double[targetLength][];

      for (int i = 0; i < targetLength; i++) {
        double center = (i + 0.5) * scale;
        int from = Math.max(0, (int) Math.floor(center - support));
        int to = Math.min(sourceLength, (int) Math.ceil(center + support));
        double[] w = new double[to - from];
        double total = 0;
        for (int j = from; j < to; j++) {
          double distance = Math.abs((j + 0.5 - center) / filterScale);
          w[j - from] = Math.max(0, 1 - distance);
          total += w[j - from];
        }
        // Near the edges part of the filter falls outside the image; renormalising repeats the edge pixel.
        for (int k = 0; k < w.length; k++) {
          w[k] /= total;
        }
        first[i] = from;
        weights[i] = w;
      }

      return new Filter(first, weights);
    }
  }
}
