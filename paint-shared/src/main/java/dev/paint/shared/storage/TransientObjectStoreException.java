package dev.paint.shared.storage;

/**
 * An object store request that failed in a way a later attempt may not. The store refused or dropped the connection,
 * timed out, or responded with a 5xx status or an S3 SlowDown. {@link ObjectStore} has already retried it with backoff
 * for {@link RetryPolicy#maxDuration()} when this reaches a caller.
 */
public class TransientObjectStoreException extends ObjectStoreException {

  public TransientObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
