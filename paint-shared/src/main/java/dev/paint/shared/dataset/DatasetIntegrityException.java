package dev.paint.shared.dataset;

/**
 * Error raised when bytes differ from their recorded SHA-256 digest: a built-in source file that does not match its
 * published checksum, or a stored split object that does not match its manifest. Either means a corrupt or replaced
 * file.
 */
public class DatasetIntegrityException extends DatasetException {

  public DatasetIntegrityException(String message) {
    super(message);
  }
}
