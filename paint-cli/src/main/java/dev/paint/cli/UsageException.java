package dev.paint.cli;

/**
 * The command line is invalid: an unknown command or option, a missing or malformed value. The CLI prints the message
 * and a pointer to the command's help, and exits with status 2.
 */
public class UsageException extends RuntimeException {

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
