package dev.paint.shared.dataset;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The three disjoint parts of a dataset: the encoder is fine-tuned on train, alpha is chosen on validation. */
public enum Split {
  TRAIN("train"),
  VALIDATION("validation"),
  TEST("test");

  private final String key;

  Split(String key) {
    this.key = key;
  }

  /** Returns the lowercase name used in object keys and manifests. */
  public String key() {
    return key;
  }

  /** Parses a lowercase split name such as {@code "validation"}. */
  public static Split fromKey(String key) {
    for (Split split : values()) {
      if (split.key.equals(key)) {
        return split;
      }
    }
    String known = Arrays.stream(values()).map(Split::key).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("Unknown split '" + key + "': expected one of " + known);
  }
}
