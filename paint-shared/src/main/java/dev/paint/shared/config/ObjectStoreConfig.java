package dev.paint.shared.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Connection to the S3-compatible object store that contains datasets, checkpoints and the registry's records. */
@ConfigMapping(prefix = "paint.object-store")
public interface ObjectStoreConfig {

  /** Store URL, for example {@code http://127.0.0.1:9000}. Environment: PAINT_OBJECT_STORE_ENDPOINT. */
  String endpoint();

  /** Access key. Environment: PAINT_OBJECT_STORE_ACCESS_KEY. */
  String accessKey();

  /** Secret key; never logged. Environment: PAINT_OBJECT_STORE_SECRET_KEY. */
  String secretKey();

  /** Bucket for everything paint stores. */
  @WithDefault("paint")
  String bucket();

  /** Signing region; S3Proxy and MinIO accept the default. */
  Optional<String> region();

  /** Local directory for downloaded checkpoints and datasets; a temporary directory when unset. */
  Optional<String> cacheDirectory();

  /** Retries of requests that fail transiently: connection refused or reset, timeouts, 5xx, S3 SlowDown. */
  Retry retry();

  /** Exponential backoff with jitter; see {@link dev.paint.shared.storage.RetryPolicy}. */
  interface Retry {

    /** Time after the first attempt of a request after which its failure is raised instead of retried. */
    @WithDefault("60s")
    Duration maxDuration();

    /** Wait before the second attempt; each later wait doubles, with jitter of up to half of it. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** Upper bound of one wait. */
    @WithDefault("5s")
    Duration maxBackoff();
  }
}
