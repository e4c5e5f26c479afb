package dev.paint.shared.checkpoint;

/**
 * Error raised when a checkpoint file differs from its {@link Manifest}: a different size,
 * SHA-256 digest or tensor list, which means the file was corrupted, truncated or replaced.
 */
public class CheckpointIntegrityException extends CheckpointException {

  public CheckpointIntegrityException(String message) {
    super(message);
  }

  public CheckpointIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
