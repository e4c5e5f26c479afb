package dev.paint.shared.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Retries of a whole pipeline stage whose object store requests or event sends still fail transiently after their
 * own retries (paint.object-store.retry.*, Kafka's delivery.timeout.ms).
 */
@ConfigMapping(prefix = "paint.stage-retry")
public interface StageRetryConfig {

  /**
   * Time after the first run of a stage after which a transient failure is given up on. The record is then nacked
   * and goes to the channel's dead-letter topic, and no failure event is published.
   */
  @WithDefault("10m")
  Duration maxDuration();

  /** Wait before the second run; each later wait doubles, with jitter of up to half of it. */
  @WithDefault("1s")
  Duration initialBackoff();

  /** Upper bound of one wait. */
  @WithDefault("30s")
  Duration maxBackoff();
}
