package dev.paint.examples.subscriber.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Settings of the subscriber: the model it serves and the registry that describes each promoted version. */
@ConfigMapping(prefix = "paint.subscriber")
public interface SubscriberConfig {

  /** The model whose promotions are followed. Events of every other model are ignored. */
  @WithDefault("paint-demo")
  String modelName();

  /**
   * Base URL of registry-service. ModelPromoted carries no encoder architecture, so each promoted version's
   * architecture is read from {@code GET /models/{name}/versions/{version}}.
   */
  @WithDefault("http://localhost:8084")
  String registryUrl();

  /**
   * API token of registry-service, sent as {@code Authorization: Bearer <token>} on every registry request. Needed only
   * when the registry sets {@code paint.registry.reads-require-token=true}. Default: unset, so no header is sent. A
   * secret, so it is never logged.
   */
  Optional<String> registryApiToken();

  /** Serve on the first GPU when the PyTorch engine detects one, otherwise on the CPU. */
  @WithDefault("true")
  boolean preferGpu();

  /** Directory for downloaded checkpoints, deleted after each load. Unset, a new temporary directory is used. */
  Optional<String> workDirectory();
}
