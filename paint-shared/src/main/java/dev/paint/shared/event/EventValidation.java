package dev.paint.shared.event;

import java.util.Collection;

/** Field checks for event payloads, so that a malformed event fails while it is parsed, naming the missing field. */
public final class EventValidation {

  private EventValidation() {}

  public static String requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new InvalidEventException("Missing required field '" + field + "'");
    }
    return value;
  }

  public static <T> T requireNonNull(T value, String field) {
    if (value == null) {
      throw new InvalidEventException("Missing required field '" + field + "'");
    }
    return value;
  }

  public static <C extends Collection<?>> C requireNonEmpty(C value, String field) {
    if (value == null || value.isEmpty()) {
      throw new InvalidEventException("Missing required field '" + field + "': it must be a non-empty list");
    }
    return value;
  }

  /** Ids end up in object keys and metric tags, so only a conservative alphabet is accepted. */
  public static String requireId(String value, String field) {
    requireText(value, field);
    if (!value.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
      throw new InvalidEventException(
          "Invalid " + field + " '" + value + "': use 1 to 128 letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return value;
  }
}
