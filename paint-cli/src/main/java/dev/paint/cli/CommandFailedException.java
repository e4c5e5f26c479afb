package dev.paint.cli;

/**
 * A command could not do its work although its arguments were valid. The message names the value involved and what to
 * do; the CLI prints it as one line and exits with status 1.
 */
public class CommandFailedException extends RuntimeException {

  public CommandFailedException(String message) {
    super(message);
  }

  public CommandFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
