package dev.paint.shared.storage;

import dev.paint.shared.json.Json;
import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The object store as paint uses it: one bucket, keys as paths, whole-object puts and gets. Every failure is an
 * {@link ObjectStoreException} naming the bucket and the key, and a missing key is an {@link ObjectNotFoundException}.
 *
 * <p>Requests that fail transiently (connection refused or reset, timeouts, 5xx statuses, S3 SlowDown) are retried
 * under the {@link RetryPolicy}, and a failure that outlasts it is a {@link TransientObjectStoreException}. Other
 * errors, such as a missing key, a denied request or a missing bucket, are raised at once. Every operation is safe to
 * repeat: puts replace whole objects and downloads restart from an empty file.
 */
public final class ObjectStore {

  private static final Logger LOG = Logger.getLogger(ObjectStore.class);
  private static final String JSON = "application/json";
  private static final String BINARY = "application/octet-stream";
  /** S3 error codes of an overloaded or briefly failing server, which a later attempt may not get. */
  private static final Set<String> TRANSIENT_CODES =
      Set.of("SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout");

  private final MinioClient client;
  private final ObjectStoreSettings settings;
  private final RetryPolicy retryPolicy;

  private ObjectStore(MinioClient client, ObjectStoreSettings settings, RetryPolicy retryPolicy) {
    this.client = client;
    this.settings = settings;
    this.retryPolicy = retryPolicy;
  }

  /** Connects with {@link RetryPolicy#OBJECT_STORE_DEFAULT}. */
  public static ObjectStore connect(ObjectStoreSettings settings) {
    return connect(settings, RetryPolicy.OBJECT_STORE_DEFAULT);
  }

  public static ObjectStore connect(ObjectStoreSettings settings, RetryPolicy retryPolicy) {
    MinioClient client =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .credentials(settings.accessKey(), settings.secretKey())
            .region(settings.region())
            .build();
    return new ObjectStore(client, settings, retryPolicy);
  }

  /** Returns a store on the same connection that retries under {@code policy} instead. */
  public ObjectStore withRetryPolicy(RetryPolicy policy) {
    return new ObjectStore(client, settings, policy);
  }

  public String bucket() {
    return settings.bucket();
  }

  public ObjectStoreSettings settings() {
    return settings;
  }

  /** Creates the bucket unless it exists; safe to call from several services at start-up. */
  public void ensureBucket() {
    call("create bucket", "", () -> {
      boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(bucket()).build());
      if (!exists) {
        try {
          client.makeBucket(MakeBucketArgs.builder().bucket(bucket()).region(settings.region()).build());
          LOG.infof("Created bucket %s at %s", bucket(), settings.endpoint());
        } catch (ErrorResponseException e) {
          // Another service may have created it between the check and the request.
          if (!e.errorResponse().code().startsWith("BucketAlready")) {
            throw e;
          }
        }
      }
      return null;
    });
  }

  /** Uploads a local file; the object becomes visible only when the upload completed. */
  public void putFile(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ObjectStoreException(
          "Cannot upload s3://" + bucket() + "/" + key + ": " + file + " is not a readable file",
          new NoSuchFileException(file.toString()));
    }
    call("upload " + file, key, () ->
        client.uploadObject(
            UploadObjectArgs.builder().bucket(bucket()).object(key).filename(file.toString()).contentType(BINARY)
                .build()));
  }

  public void putBytes(String key, byte[] data, String contentType) {
    call("put", key, () ->
        client.putObject(
            PutObjectArgs.builder().bucket(bucket()).object(key)
                .stream(new ByteArrayInputStream(data), data.length, -1).contentType(contentType).build()));
  }

  public void putJson(String key, Object value) {
    putBytes(key, Json.writeBytes(value), JSON);
  }

  public byte[] getBytes(String key) {
    return call("get", key, () -> {
      try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket()).object(key).build())) {
        return in.readAllBytes();
      }
    });
  }

  public <T> T getJson(String key, Class<T> type) {
    return Json.read(getBytes(key), type);
  }

  /** Downloads to {@code destination}, replacing it; the file appears only once complete. */
  public void getFile(String key, Path destination) {
    Path partial = destination.resolveSibling(destination.getFileName() + ".download");
    call("download to " + destination, key, () -> {
      Files.deleteIfExists(partial);
      client.downloadObject(
          DownloadObjectArgs.builder().bucket(bucket()).object(key).filename(partial.toString()).build());
      Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    });
  }

  /** Returns the stored size of {@code key} in bytes. */
  public long size(String key) {
    return call("stat", key,
        () -> client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()).size());
  }

  public boolean exists(String key) {
    try {
      call("stat", key, () -> client.statObject(StatObjectArgs.builder().bucket(bucket()).object(key).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  /** Lists the object keys under {@code prefix}, recursively, in lexicographic order, without folder entries. */
  public List<String> list(String prefix) {
    return call("list", prefix, () -> {
      List<String> keys = new ArrayList<>();
      Iterable<Result<Item>> results =
          client.listObjects(ListObjectsArgs.builder().bucket(bucket()).prefix(prefix).recursive(true).build());
      for (Result<Item> result : results) {
        Item item = result.get();
        // Filesystem-backed stores such as S3Proxy list directories as zero-byte "folder/" entries.
        if (!item.isDir() && !item.objectName().endsWith("/")) {
          keys.add(item.objectName());
        }
      }
      return keys;
    });
  }

  public void delete(String key) {
    call("delete", key, () -> {
      client.removeObject(RemoveObjectArgs.builder().bucket(bucket()).object(key).build());
      return null;
    });
  }

  /** Runs {@code request}, retrying transient failures with backoff until the retry policy's time is spent. */
  private <T> T call(String operation, String key, StoreCall<T> request) {
    long started = System.nanoTime();
    int attempt = 1;
    while (true) {
      try {
        return attempt(operation, key, request);
      } catch (TransientObjectStoreException e) {
        Duration wait = retryPolicy.backoff(attempt);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (!retryPolicy.allowsAttemptAfter(elapsed, wait)) {
          throw attempt == 1 ? e : new TransientObjectStoreException(
              e.getMessage() + " (gave up after " + attempt + " attempts in " + elapsed.toMillis() + " ms; raise"
                  + " paint.object-store.retry.max-duration to wait longer)", e.getCause());
        }
        LOG.warnf("Object store request '%s' for s3://%s/%s failed (attempt %d), retrying in %d ms: %s", operation,
            bucket(), key, attempt, wait.toMillis(), rootMessage(e));
        sleep(wait, operation, key);
        attempt++;
      }
    }
  }

  private <T> T attempt(String operation, String key, StoreCall<T> request) {
    try {
      return request.run();
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
        throw new ObjectNotFoundException(bucket(), key);
      }
      String message = "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " at "
          + settings.endpoint() + ": " + code + " " + e.errorResponse().message();
      if (TRANSIENT_CODES.contains(code) || (e.response() != null && e.response().code() >= 500)) {
        throw new TransientObjectStoreException(message, e);
      }
      throw new ObjectStoreException(message, e);
    } catch (ObjectStoreException e) {
      throw e;
    } catch (FileSystemException e) {
      // A local file that is missing or unwritable does not appear by waiting.
      throw new ObjectStoreException(
          "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " on local file "
              + e.getFile() + ": " + e, e);
    } catch (IOException | ServerException | InsufficientDataException e) {
      // Refused or reset connections, timeouts, truncated bodies and 5xx statuses without an S3 error document.
      throw new TransientObjectStoreException(
          "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " at "
              + settings.endpoint() + ": " + e + ". Check that the store is running and reachable", e);
    } catch (Exception e) {
      throw new ObjectStoreException(
          "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " at "
              + settings.endpoint() + ": " + e + ". Check that the store is reachable and the credentials are valid",
          e);
    }
  }

  private void sleep(Duration wait, String operation, String key) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ObjectStoreException(
          "Interrupted while waiting to retry '" + operation + "' for s3://" + bucket() + "/" + key, e);
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error.getCause() == null ? error : error.getCause();
    return cause.toString();
  }

  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws Exception;
  }
}
