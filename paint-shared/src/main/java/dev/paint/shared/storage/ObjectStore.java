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
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The object store as paint uses it: one bucket, keys as paths, whole-object puts and gets. Every failure is an
 * {@link ObjectStoreException} naming the bucket and the key, and a missing key is an {@link ObjectNotFoundException}.
 */
public final class ObjectStore {

  private static final Logger LOG = Logger.getLogger(ObjectStore.class);
  private static final String JSON = "application/json";
  private static final String BINARY = "application/octet-stream";

  private final MinioClient client;
  private final ObjectStoreSettings settings;

  private ObjectStore(MinioClient client, ObjectStoreSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public static ObjectStore connect(ObjectStoreSettings settings) {
    MinioClient client =
        MinioClient.builder()
            .endpoint(settings.endpoint())
            .credentials(settings.accessKey(), settings.secretKey())
            .region(settings.region())
            .build();
    return new ObjectStore(client, settings);
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

  private <T> T call(String operation, String key, StoreCall<T> request) {
    try {
      return request.run();
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
        throw new ObjectNotFoundException(bucket(), key);
      }
      throw new ObjectStoreException(
          "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " at "
              + settings.endpoint() + ": " + code + " " + e.errorResponse().message(), e);
    } catch (ObjectStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new ObjectStoreException(
          "Object store request '" + operation + "' failed for s3://" + bucket() + "/" + key + " at "
              + settings.endpoint() + ": " + e + ". Check that the store is reachable and the credentials are valid",
          e);
    }
  }

  @FunctionalInterface
  private interface StoreCall<T> {
    T run() throws Exception;
  }
}
