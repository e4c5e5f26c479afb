package dev.paint.registry.messaging;

import dev.paint.registry.config.RegistryConfig;
import dev.paint.registry.service.PromotionEvents;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.json.Json;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * Sends the registry's events as JSON CloudEvents (binary mode), keyed by model name, and waits for the broker's
 * acknowledgement so that callers can treat a returned call as a durable send.
 */
@ApplicationScoped
public class RegistryEventPublisher implements PromotionEvents {

  /** Outgoing channel of {@link dev.paint.shared.event.Topics#MODEL_PROMOTED}. */
  public static final String MODEL_PROMOTED_CHANNEL = "model-promoted";

  /** Outgoing channel of {@link dev.paint.shared.event.Topics#PATCH_TASK_FAILED}. */
  public static final String PATCH_TASK_FAILED_CHANNEL = "patch-task-failed";

  /** CloudEvents {@code source} of every event the registry sends. */
  public static final URI SOURCE = URI.create(EventTypes.SOURCE_PREFIX + "registry-service");

  private final MutinyEmitter<String> promoted;
  private final MutinyEmitter<String> failed;
  private final RegistryConfig config;

  @Inject
  public RegistryEventPublisher(
      @Channel(MODEL_PROMOTED_CHANNEL) MutinyEmitter<String> promoted,
      @Channel(PATCH_TASK_FAILED_CHANNEL) MutinyEmitter<String> failed,
      RegistryConfig config) {
    this.promoted = promoted;
    this.failed = failed;
    this.config = config;
  }

  @Override
  public void modelPromoted(ModelPromoted event, String eventId) {
    send(promoted, event.modelName(), eventId, EventTypes.MODEL_PROMOTED, event);
  }

  @Override
  public void patchTaskFailed(PatchTaskFailed event, String eventId) {
    send(failed, event.modelName(), eventId, EventTypes.PATCH_TASK_FAILED, event);
  }

  private void send(MutinyEmitter<String> emitter, String key, String eventId, String type, Object payload) {
    OutgoingKafkaRecordMetadata<String> record = OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build();
    OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
        .withId(eventId)
        .withSource(SOURCE)
        .withType(type)
        .withDataContentType("application/json")
        .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
        .build();
    Message<String> message = Message.of(Json.write(payload), Metadata.of(record, cloudEvent));

    // Blocks the calling thread until the broker acknowledged the record. The callers run on worker threads (the
    // blocking consumer and REST endpoints), never on the event loop.
    emitter.sendMessage(message).await().atMost(config.sendTimeout());
  }
}
