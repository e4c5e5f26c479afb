package dev.paint.examples.subscriber.service;

import ai.djl.Device;
import dev.paint.examples.subscriber.client.RegisteredVersion;
import dev.paint.examples.subscriber.client.RegistryClient;
import dev.paint.examples.subscriber.client.RegistryTokenFilter;
import dev.paint.examples.subscriber.config.SubscriberConfig;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Devices;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.WorkDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Loads a promoted model version: reads its architecture from the registry, downloads the encoder and every task head
 * (each verified against its SHA-256) and builds them in native memory.
 */
@ApplicationScoped
public class ModelLoader {

  private final CheckpointStore checkpoints;
  private final SubscriberConfig config;
  private final RegistryClient registry;
  private final Device device;

  @Inject
  public ModelLoader(CheckpointStore checkpoints, SubscriberConfig config) {
    this.checkpoints = checkpoints;
    this.config = config;
    this.registry = registryClient(config);
    this.device = Devices.select(config.preferGpu());
  }

  /**
   * Returns the loaded version; the caller owns it and must close it.
   *
   * @throws IllegalStateException when the registry describes a different encoder than the event carries
   */
  public ServedModel load(ModelPromoted event) {
    EncoderSpec architecture = architecture(event);

    try (WorkDirectory work = WorkDirectory.create(config.workDirectory(), "subscriber-",
        "paint.subscriber.work-directory")) {
      Path encoderFile = CheckpointStore.localPath(event.encoder(), work.path(), "encoder");
      checkpoints.download(event.encoder(), encoderFile);
      Encoder encoder = Encoder.load(architecture, encoderFile, device);
      try {
        Map<String, ServedTask> tasks = loadHeads(event, architecture, work);
        return new ServedModel(
            event.modelName(), event.version(), event.encoder().sha256(), event.promotedAt(), encoder, tasks);
      } catch (RuntimeException e) {
        encoder.close();
        throw e;
      }
    }
  }

  /** Builds the registry client, which sends the API token only when one is configured. */
  private static RegistryClient registryClient(SubscriberConfig config) {
    RestClientBuilder builder = RestClientBuilder.newBuilder().baseUri(URI.create(config.registryUrl()));
    config.registryApiToken().ifPresent(token -> builder.register(new RegistryTokenFilter(token)));
    return builder.build(RegistryClient.class);
  }

  /** Reads the version's architecture from the registry, because ModelPromoted does not carry it. */
  private EncoderSpec architecture(ModelPromoted event) {
    RegisteredVersion registered = registeredVersion(event);
    CheckpointRef encoder = registered.encoder();
    if (encoder == null || !event.encoder().sha256().equals(encoder.sha256())) {
      throw new IllegalStateException(
          "Registry at " + config.registryUrl() + " describes model '" + event.modelName() + "' version "
              + event.version() + " with encoder " + encoder + " but the ModelPromoted event carries "
              + event.encoder() + "; check that paint.subscriber.registry-url names the registry that sent the event");
    }
    if (registered.architecture() == null) {
      throw new IllegalStateException(
          "Registry at " + config.registryUrl() + " returned no architecture for model '" + event.modelName()
              + "' version " + event.version());
    }
    return registered.architecture();
  }

  /** Reads the version from the registry and turns a 401 into advice on the token setting. */
  private RegisteredVersion registeredVersion(ModelPromoted event) {
    try {
      return registry.version(event.modelName(), event.version());
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() != Response.Status.UNAUTHORIZED.getStatusCode()) {
        throw e;
      }

      String advice = config.registryApiToken().isPresent()
          ? "the token in paint.subscriber.registry-api-token (PAINT_REGISTRY_API_TOKEN) is not the registry's;"
              + " set it to the value of the registry's paint.registry.api-token"
          : "the registry requires a token for reads; set paint.subscriber.registry-api-token"
              + " (PAINT_REGISTRY_API_TOKEN) to the value of the registry's paint.registry.api-token";
      throw new IllegalStateException("Registry at " + config.registryUrl() + " rejected the request for model '"
          + event.modelName() + "' version " + event.version() + " with 401: " + advice, e);
    }
  }

  private Map<String, ServedTask> loadHeads(ModelPromoted event, EncoderSpec architecture, WorkDirectory work) {
    Map<String, ServedTask> tasks = new LinkedHashMap<>();
    int index = 0;
    for (TaskHead task : event.tasks()) {
      // Task names are free text, so the file is named by position.
      Path headFile = work.resolve("head-" + index++ + ".safetensors");
      checkpoints.download(task.head(), headFile);
      ClassificationHead head =
          ClassificationHead.load(headFile, task.classNames().size(), architecture.embeddingDim());
      tasks.put(task.task(), new ServedTask(task.task(), task.classNames(), head));
    }
    return tasks;
  }
}
