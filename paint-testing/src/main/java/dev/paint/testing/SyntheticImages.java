package dev.paint.testing;

import dev.paint.shared.dataset.LabeledImages;
import java.util.Random;

/** Small image sets that a tiny encoder learns in a few steps, for service tests that must train for real. */
public final class SyntheticImages {

  private SyntheticImages() {}

  /**
   * Returns {@code count} noisy 8x8 grayscale images of two classes: class 0 lights the top half, class 1 the bottom
   * half. With {@code invertedLabels} every label is swapped, which makes a trained model score near zero.
   */
  public static LabeledImages halves(int count, long seed, boolean invertedLabels) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 64];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      int drawn = i % 2;
      labels[i] = invertedLabels ? 1 - drawn : drawn;
      for (int p = 0; p < 64; p++) {
        boolean lit = (p < 32) == (drawn == 0);
        pixels[i * 64 + p] = (byte) (lit ? 160 + random.nextInt(90) : random.nextInt(60));
      }
    }
    return new LabeledImages(1, 8, 8, pixels, labels);
  }
}
