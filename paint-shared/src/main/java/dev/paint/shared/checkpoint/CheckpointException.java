package dev.paint.shared.checkpoint;

/**
 * Base class of the errors raised while reading, writing, verifying or merging a checkpoint.
 *
 * <p>It is unchecked so that merge methods and services can let it travel to the one place that
 * reports a failed task. Input/output failures travel as {@link java.io.UncheckedIOException}.
 */
public class CheckpointException extends RuntimeException {

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
