package dev.paint.demo;

/** The demo cannot go on; the message states what failed and what to do, and is printed as the demo's last line. */
public class DemoFailedException extends RuntimeException {

  public DemoFailedException(String message) {
    super(message);
  }

  public DemoFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
