package dev.paint.shared.storage;

import java.util.Objects;

/**
 * Location of the S3-compatible object store and the credentials that sign requests. The secret key is kept out of
 * {@link #toString()} so that settings can be logged.
 */
public record ObjectStoreSettings(String endpoint, String accessKey, String secretKey, String bucket, String region) {

  public ObjectStoreSettings {
    Objects.requireNonNull(endpoint, "endpoint: set the object store URL, for example http://127.0.0.1:9000");
    Objects.requireNonNull(accessKey, "accessKey: set the object store access key");
    Objects.requireNonNull(secretKey, "secretKey: set the object store secret key");
    Objects.requireNonNull(bucket, "bucket: set the bucket that paint stores datasets and checkpoints in");
    if (region == null || region.isBlank()) {
      region = "us-east-1";
    }
  }

  @Override
  public String toString() {
    return "ObjectStoreSettings[endpoint=" + endpoint + ", accessKey=" + accessKey + ", bucket=" + bucket
        + ", region=" + region + "]";
  }
}
