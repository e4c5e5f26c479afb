package dev.paint.shared.dataset;

/**
 * Shape of one image in channels, height and width, the order of the encoder's input. Importers resize every image to
 * this shape.
 *
 * @param channels 1 for grayscale or 3 for RGB
 * @param height rows in pixels
 * @param width columns in pixels
 */
public record ImageSize(int channels, int height, int width) {

  /** Input shape of the demo encoder: one grayscale channel of 28x28 pixels, the MNIST family's size. */
  public static final ImageSize GRAYSCALE_28 = new ImageSize(1, 28, 28);

  public ImageSize {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("Invalid image size: channels is " + channels + ", expected 1 or 3");
    }
    if (height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "Invalid image size: " + height + "x" + width + ", height and width must be at least 1");
    }
  }

  /** Returns the number of bytes of one image, channels * height * width. */
  public int imageBytes() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
