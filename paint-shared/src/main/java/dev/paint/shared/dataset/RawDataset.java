package dev.paint.shared.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A dataset as an importer read it, before {@link DatasetSplitter} draws the validation split (and the test split
 * when the source ships none).
 *
 * @param classNames class names in label order
 * @param train the source's training images
 * @param test the source's test images, or {@code null} when the source ships no test split
 * @param sourceChecksums SHA-256 in lowercase hex of every source file read, by file name relative to the source
 */
public record RawDataset(
    List<String> classNames, LabeledImages train, LabeledImages test, Map<String, String> sourceChecksums) {

  public RawDataset {
    Objects.requireNonNull(train, "train");
    classNames = DatasetValidation.requireClassNames(classNames);
    DatasetValidation.requireLabelsBelow(train, classNames.size(), "train");
    if (test != null) {
      DatasetValidation.requireSameShape(train, test, "test");
      DatasetValidation.requireLabelsBelow(test, classNames.size(), "test");
    }
    sourceChecksums = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(sourceChecksums)));
  }

  /** Creates a dataset without recorded source checksums, for images that did not come from files. */
  public RawDataset(List<String> classNames, LabeledImages train, LabeledImages test) {
    this(classNames, train, test, Map.of());
  }

  /** Returns whether the source ships its own test split. */
  public boolean hasTest() {
    return test != null;
  }
}
