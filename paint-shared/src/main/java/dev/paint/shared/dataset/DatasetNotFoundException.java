package dev.paint.shared.dataset;

/** Error raised when the object store contains no manifest for the requested dataset name. */
public class DatasetNotFoundException extends DatasetException {

  public DatasetNotFoundException(String message) {
    super(message);
  }
}
