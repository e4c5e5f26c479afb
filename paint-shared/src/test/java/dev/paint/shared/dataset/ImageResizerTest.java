package dev.paint.shared.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageResizerTest {

  @Test
  void upsamplingKeepsBrightPixelInPlace() {
    // One ink pixel at row 2, column 5 of an 8x8 image covers rows 7..10 and columns 17..20 of a 28x28 image
    // (3.5 output pixels per input pixel).
    byte[] source = new byte[8 * 8];
    source[2 * 8 + 5] = (byte) 255;

    byte[] resized = ImageResizer.resizeImage(source, 1, 8, 8, new ImageSize(1, 28, 28));

    int brightest = indexOfMax(resized);
    assertThat(brightest / 28).isBetween(7, 10);
    assertThat(brightest % 28).isBetween(17, 20);
    assertThat(Byte.toUnsignedInt(resized[brightest])).isGreaterThanOrEqualTo(200);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        boolean nearInk = y >= 5 && y <= 11 && x >= 16 && x <= 22;
        if (!nearInk) {
          assertThat(resized[y * 28 + x]).as("pixel (%d, %d)", y, x).isZero();
        }
      }
    }
  }

  @Test
  void uniformImageStaysUniform() {
    byte[] source = new byte[3 * 8 * 8];
    Arrays.fill(source, (byte) 137);

    byte[] enlarged = ImageResizer.resizeImage(source, 3, 8, 8, new ImageSize(3, 28, 28));
    byte[] shrunk = ImageResizer.resizeImage(source, 3, 8, 8, new ImageSize(3, 3, 5));

    for (byte value : enlarged) {
      assertThat(Byte.toUnsignedInt(value)).isEqualTo(137);
    }
    for (byte value : shrunk) {
      assertThat(Byte.toUnsignedInt(value)).isEqualTo(137);
    }
  }

  @Test
  void shrinkingKeepsThinLine() {
    // Plain bilinear sampling at output column 0 (source x = 1.5) would miss the line at column 3 entirely.
    byte[] source = new byte[8 * 8];
    for (int y = 0; y < 8; y++) {
      source[y * 8 + 3] = (byte) 255;
    }

    byte[] shrunk = ImageResizer.resizeImage(source, 1, 8, 8, new ImageSize(1, 2, 2));

    assertThat(Byte.toUnsignedInt(shrunk[0])).isBetween(30, 80);
    assertThat(Byte.toUnsignedInt(shrunk[0])).isEqualTo(Byte.toUnsignedInt(shrunk[2]));
  }

  @Test
  void rgbToGrayscaleUsesBt601Luma() {
    // One pixel per image: pure red, pure green, pure blue.
    LabeledImages rgb = new LabeledImages(
        3, 1, 1, new byte[] {(byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255}, new int[] {0, 1, 2});

    LabeledImages gray = ImageResizer.resize(rgb, new ImageSize(1, 1, 1));

    assertThat(gray.pixel(0, 0, 0, 0)).isEqualTo(76);
    assertThat(gray.pixel(1, 0, 0, 0)).isEqualTo(150);
    assertThat(gray.pixel(2, 0, 0, 0)).isEqualTo(29);
  }

  @Test
  void grayscaleToRgbRepeatsChannel() {
    LabeledImages gray = new LabeledImages(1, 1, 2, new byte[] {10, (byte) 200}, new int[] {4});

    LabeledImages rgb = ImageResizer.resize(gray, new ImageSize(3, 1, 2));

    for (int c = 0; c < 3; c++) {
      assertThat(rgb.pixel(0, c, 0, 0)).isEqualTo(10);
      assertThat(rgb.pixel(0, c, 0, 1)).isEqualTo(200);
    }
    assertThat(rgb.labels()).containsExactly(4);
  }

  private static int indexOfMax(byte[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (Byte.toUnsignedInt(values[i]) > Byte.toUnsignedInt(values[best])) {
        best = i;
      }
    }
    return best;
  }
}
