package dev.paint.cli;

import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.event.EventValidation;
import java.nio.file.Path;

/**
 * One {@code --head TASK=DATASET=FILE} of {@code register-model}: a supported task of the new model version, the
 * stored dataset it is measured on, and the local safetensors file of its classification head.
 */
public record HeadArgument(String task, String dataset, Path file) {

  /**
   * Parses {@code TASK=DATASET=FILE}. The file is everything after the second '=', so a path may contain '='.
   *
   * @throws IllegalArgumentException naming the part that is missing or invalid
   */
  public static HeadArgument parse(String value) {
    String[] parts = value.split("=", 3);
    if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
      throw new IllegalArgumentException("Invalid head '" + value + "': expected TASK=DATASET=FILE, such as"
          + " digits=uci-digits=heads/digits.safetensors");
    }
    EventValidation.requireId(parts[0], "task");
    Dataset.requireValidName(parts[1]);
    return new HeadArgument(parts[0], parts[1], Path.of(parts[2]));
  }
}
