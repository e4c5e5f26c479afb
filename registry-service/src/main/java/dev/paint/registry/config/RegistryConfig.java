package dev.paint.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of registry-service. */
@ConfigMapping(prefix = "paint.registry")
public interface RegistryConfig {

  /**
   * How long to wait for the broker to acknowledge a ModelPromoted or PatchTaskFailed event before the send counts as
   * failed. Default 30 seconds.
   */
  @WithDefault("30s")
  Duration sendTimeout();

  /**
   * Bearer token that the mutating endpoints (registering a version, promotion, rollback) require in the
   * {@code Authorization} header, at least {@value dev.paint.registry.rest.ApiTokenFilter#MIN_TOKEN_LENGTH} characters.
   * Environment variable PAINT_REGISTRY_API_TOKEN. No default: without a token every mutating request is rejected with
   * 401, and reads stay as {@link #readsRequireToken()} sets them.
   */
  Optional<String> apiToken();

  /** Whether the read endpoints under /models require the API token too. Default false: reads are open. */
  @WithDefault("false")
  boolean readsRequireToken();
}
