package dev.paint.shared.dataset;

/**
 * Base class of the errors raised while importing, splitting, storing or loading a dataset.
 *
 * <p>It is unchecked so that services can let it travel to the one place that reports a failed task. Input/output
 * failures travel as {@link java.io.UncheckedIOException} and object store failures as
 * {@link dev.paint.shared.storage.ObjectStoreException}.
 */
public class DatasetException extends RuntimeException {

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
