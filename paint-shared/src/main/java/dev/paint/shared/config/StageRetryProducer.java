package dev.paint.shared.config;

import dev.paint.shared.messaging.StageRetry;
import dev.paint.shared.storage.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes {@link StageRetry} injectable in the services' consumers. */
@ApplicationScoped
public class StageRetryProducer {

  @Produces
  @Singleton
  StageRetry stageRetry(StageRetryConfig config) {
    return new StageRetry(new RetryPolicy(config.maxDuration(), config.initialBackoff(), config.maxBackoff()));
  }
}
