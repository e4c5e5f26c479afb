package dev.paint.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of registry-service. */
@ConfigMapping(prefix = "paint.registry")
public interface RegistryConfig {

  /**
   * How long to wait for the broker to acknowledge a ModelPromoted or PatchTaskFailed event before the send counts as
   * failed. Default 30 seconds.
   */
  @WithDefault("30s")
  Duration sendTimeout();
}
