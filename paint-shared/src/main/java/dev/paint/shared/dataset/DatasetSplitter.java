package dev.paint.shared.dataset;

import java.util.Arrays;
import java.util.Random;

/**
 * Draws the validation split, and the test split when the source ships none, with a seeded shuffle, so that the same
 * raw dataset and seed give the same bytes on every JVM.
 *
 * <p>The shuffle is a Fisher-Yates shuffle driven by {@link java.util.Random}, because its javadoc requires every Java
 * implementation to use the algorithms it shows for {@code Random(long)} and {@code nextInt(int)}. Each split keeps the
 * shuffled order, so a prefix taken with {@link LabeledImages#limit(int)} is a random sample rather than the first
 * classes of a source sorted by class.
 *
 * <p>The sizes follow the PAINT reference code (mlfoundations/patching, {@code src/datasets/registry.py}): validation
 * is {@code int(n * 0.1)} training images, at most 5,000. That code draws with PyTorch's generator, so the chosen
 * images differ from this class's.
 */
public final class DatasetSplitter {

  /** Fraction of the training images held out for validation, truncated to an integer count. */
  public static final double VALIDATION_FRACTION = 0.1;
  /** Maximum number of validation images. */
  public static final int MAX_VALIDATION_IMAGES = 5_000;
  /** Fraction of all images held out for test when the source ships no test split, truncated to an integer count. */
  public static final double TEST_FRACTION = 0.2;

  private DatasetSplitter() {}

  /**
   * Splits {@code raw} into train, validation and test.
   *
   * <p>A source without a test split first loses {@link #TEST_FRACTION} of its images to test. The remaining training
   * images then lose {@link #VALIDATION_FRACTION} of themselves, at most {@link #MAX_VALIDATION_IMAGES}, to
   * validation. One shuffle of the source's training images with {@code seed} draws both, test first.
   */
  public static Dataset split(String name, RawDataset raw, long seed) {
    Dataset.requireValidName(name);
    LabeledImages source = raw.train();
    int total = source.size();
    int testCount = raw.hasTest() ? 0 : (int) (total * TEST_FRACTION);
    int validationCount = Math.min((int) ((total - testCount) * VALIDATION_FRACTION), MAX_VALIDATION_IMAGES);
    int trainCount = total - testCount - validationCount;
    if (validationCount == 0 || trainCount == 0 || (!raw.hasTest() && testCount == 0)) {
      throw new DatasetException(
          "Dataset '" + name + "' has too few training images (" + total + ") to split: it needs at least 10 for a"
              + " validation image, and at least 12 when the source ships no test split");
    }

    int[] order = shuffledIndices(total, seed);
    LabeledImages test = raw.hasTest() ? raw.test() : source.subset(Arrays.copyOfRange(order, 0, testCount));
    LabeledImages validation = source.subset(Arrays.copyOfRange(order, testCount, testCount + validationCount));
    LabeledImages train = source.subset(Arrays.copyOfRange(order, testCount + validationCount, total));

    return new Dataset(name, raw.classNames(), train, validation, test, seed);
  }

  /** Returns 0..n-1 in the order of a Fisher-Yates shuffle seeded with {@code seed}. */
  static int[] shuffledIndices(int n, long seed) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }

    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    return indices;
  }
}
