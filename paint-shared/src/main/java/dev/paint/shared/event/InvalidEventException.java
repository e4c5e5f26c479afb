package dev.paint.shared.event;

/** An event payload is malformed or incomplete; retrying it cannot succeed. */
public class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message);
  }

  public InvalidEventException(String message, Throwable cause) {
    super(message, cause);
  }
}
