package dev.paint.shared.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
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
}
