package dev.paint.shared.dataset;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named dataset with its three disjoint splits, as {@link DatasetSplitter} draws them and {@link DatasetStore}
 * stores and loads them.
 *
 * @param name dataset name, also the folder of its objects in the store; see {@link #requireValidName(String)}
 * @param classNames class names in label order
 * @param train images the encoder is fine-tuned on
 * @param validation images alpha is chosen on
 * @param test images the final accuracy is reported on
 * @param seed seed of the shuffle that drew the splits, recorded in the manifest for provenance
 */
public record Dataset(
    String name,
    List<String> classNames,
    LabeledImages train,
    LabeledImages validation,
    LabeledImages test,
    long seed) {

  /** Dataset names are safe as one object key segment and as a file name on every platform. */
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  public Dataset {
    requireValidName(name);
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
    Objects.requireNonNull(test, "test");
    classNames = DatasetValidation.requireClassNames(classNames);
    DatasetValidation.requireSameShape(train, validation, Split.VALIDATION.key());
    DatasetValidation.requireSameShape(train, test, Split.TEST.key());
    // The accessors read fields that a compact constructor has not assigned yet, so the parameters are checked.
    DatasetValidation.requireLabelsBelow(train, classNames.size(), Split.TRAIN.key());
    DatasetValidation.requireLabelsBelow(validation, classNames.size(), Split.VALIDATION.key());
    DatasetValidation.requireLabelsBelow(test, classNames.size(), Split.TEST.key());
  }

  /**
   * Creates a dataset whose splits were not drawn by {@link DatasetSplitter}, such as a hand-made one in a test. The
   * manifest then records seed 0.
   */
  public Dataset(
      String name, List<String> classNames, LabeledImages train, LabeledImages validation, LabeledImages test) {
    this(name, classNames, train, validation, test, 0L);
  }

  /** Returns the images of one split. */
  public LabeledImages split(Split split) {
    return switch (split) {
      case TRAIN -> train;
      case VALIDATION -> validation;
      case TEST -> test;
    };
  }

  /**
   * Returns {@code name} when it matches {@link #NAME_PATTERN}: 1 to 64 characters of lowercase letters, digits, dots,
   * underscores and hyphens, starting with a letter or digit. Otherwise throws {@link IllegalArgumentException}.
   */
  public static String requireValidName(String name) {
    if (name == null || !NAME_PATTERN.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "Invalid dataset name '" + name + "': use 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with"
              + " a letter or digit, for example 'fashion-mnist'");
    }
    return name;
  }
}
