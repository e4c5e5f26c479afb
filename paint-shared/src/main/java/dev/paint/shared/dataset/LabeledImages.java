package dev.paint.shared.dataset;

import java.util.Arrays;
import java.util.Objects;

/**
 * Images with one class label each, as unsigned bytes in NCHW order: image {@code i}, channel {@code c}, row {@code y}
 * and column {@code x} is at {@code ((i * channels + c) * height + y) * width + x}.
 *
 * <p>The arrays are shared, not copied, because a split of Fashion-MNIST is tens of megabytes. Treat them as
 * read-only. Equality compares the contents.
 *
 * @param channels channels per image, 1 for grayscale or 3 for RGB
 * @param height rows per image
 * @param width columns per image
 * @param pixels {@code labels.length * channels * height * width} unsigned bytes
 * @param labels class index of each image, from 0
 */
public record LabeledImages(int channels, int height, int width, byte[] pixels, int[] labels) {

  public LabeledImages {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "Invalid image shape " + channels + "x" + height + "x" + width + ": every dimension must be at least 1");
    }
    long expectedPixels = (long) labels.length * channels * height * width;
    if (pixels.length != expectedPixels) {
      throw new IllegalArgumentException(
          "Pixel array has " + pixels.length + " bytes, expected " + expectedPixels + " for " + labels.length
              + " images of " + channels + "x" + height + "x" + width);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("Label of image " + i + " is " + labels[i] + ", expected 0 or more");
      }
    }
  }

  /** Returns the number of images. */
  public int size() {
    return labels.length;
  }

  /** Returns the number of bytes of one image, channels * height * width. */
  public int imageBytes() {
    return channels * height * width;
  }

  /** Returns the shape of one image; fails for channel counts other than 1 and 3. */
  public ImageSize imageSize() {
    return new ImageSize(channels, height, width);
  }

  /** Returns the value, 0 to 255, of image {@code index} at {@code channel}, row {@code y} and column {@code x}. */
  public int pixel(int index, int channel, int y, int x) {
    Objects.checkIndex(index, size());
    Objects.checkIndex(channel, channels);
    Objects.checkIndex(y, height);
    Objects.checkIndex(x, width);
    return Byte.toUnsignedInt(pixels[((index * channels + channel) * height + y) * width + x]);
  }

  /** Copies the images at {@code indices}, in that order; an index may repeat. */
  public LabeledImages subset(int[] indices) {
    int imageBytes = imageBytes();
    byte[] selectedPixels = new byte[Math.multiplyExact(indices.length, imageBytes)];
    int[] selectedLabels = new int[indices.length];

    for (int i = 0; i < indices.length; i++) {
      int source = indices[i];
      if (source < 0 || source >= size()) {
        throw new IndexOutOfBoundsException(
            "Subset index " + source + " at position " + i + " is outside 0.." + (size() - 1));
      }
      System.arraycopy(pixels, source * imageBytes, selectedPixels, i * imageBytes, imageBytes);
      selectedLabels[i] = labels[source];
    }

    return new LabeledImages(channels, height, width, selectedPixels, selectedLabels);
  }

  /** Returns the first {@code n} images, or these images when there are no more than {@code n}. */
  public LabeledImages limit(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("Image limit is " + n + ", expected 0 or more");
    }
    if (n >= size()) {
      return this;
    }

    byte[] firstPixels = Arrays.copyOf(pixels, n * imageBytes());
    int[] firstLabels = Arrays.copyOf(labels, n);
    return new LabeledImages(channels, height, width, firstPixels, firstLabels);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LabeledImages that
        && channels == that.channels
        && height == that.height
        && width == that.width
        && Arrays.equals(labels, that.labels)
        && Arrays.equals(pixels, that.pixels);
  }

  @Override
  public int hashCode() {
    int result = Objects.hash(channels, height, width);
    result = 31 * result + Arrays.hashCode(labels);
    return 31 * result + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "LabeledImages[" + size() + " images of " + channels + "x" + height + "x" + width + "]";
  }
}
