package dev.paint.shared.dataset;

/**
 * Error raised when a source file or a stored object breaks its format. Examples are an IDX header that does not match
 * its payload, a JSON or CSV value out of range, an image that cannot be decoded and a label outside the class list.
 */
public class DatasetFormatException extends DatasetException {

  public DatasetFormatException(String message) {
    super(message);
  }

  public DatasetFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
