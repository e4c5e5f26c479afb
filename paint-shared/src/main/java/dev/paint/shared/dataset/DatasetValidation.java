package dev.paint.shared.dataset;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks shared by the dataset records, so that each states its rules once. */
final class DatasetValidation {

  private DatasetValidation() {}

  static List<String> requireClassNames(List<String> classNames) {
    if (classNames == null || classNames.isEmpty()) {
      throw new IllegalArgumentException("Class names are missing: a dataset needs at least one class");
    }
    Set<String> seen = new HashSet<>();
    for (String name : classNames) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("Class names " + classNames + " contain a blank name");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException("Class names " + classNames + " contain '" + name + "' twice");
      }
    }
    return List.copyOf(classNames);
  }

  static void requireLabelsBelow(LabeledImages images, int classCount, String splitName) {
    int[] labels = images.labels();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "Label of " + splitName + " image " + i + " is " + labels[i] + ", but the dataset has only " + classCount
                + " classes");
      }
    }
  }

  static void requireSameShape(LabeledImages reference, LabeledImages images, String splitName) {
    if (reference.channels() != images.channels()
        || reference.height() != images.height()
        || reference.width() != images.width()) {
      throw new IllegalArgumentException(
          "The " + splitName + " images are " + images.channels() + "x" + images.height() + "x" + images.width()
              + ", but the train images are " + reference.channels() + "x" + reference.height() + "x"
              + reference.width());
    }
  }
}
