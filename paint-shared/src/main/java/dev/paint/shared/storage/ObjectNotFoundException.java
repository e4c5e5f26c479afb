package dev.paint.shared.storage;

/** The requested key does not exist in the bucket. */
public class ObjectNotFoundException extends ObjectStoreException {

  public ObjectNotFoundException(String bucket, String key) {
    super("Object not found: s3://" + bucket + "/" + key);
  }
}
