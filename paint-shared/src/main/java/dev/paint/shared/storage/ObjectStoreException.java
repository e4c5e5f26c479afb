package dev.paint.shared.storage;

/** An object store request failed; the message names the bucket, the key and the operation. */
public class ObjectStoreException extends RuntimeException {

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public ObjectStoreException(String message) {
    super(message);
  }
}
