package dev.paint.registry.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.service.ModelRegistry;
import dev.paint.registry.service.PromotionService;
import dev.paint.registry.service.RegistryMetrics;
import dev.paint.registry.support.InMemoryVersionStorage;
import dev.paint.registry.support.RecordingPromotionEvents;
import dev.paint.registry.support.TestEvents;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.reactive.messaging.ce.impl.DefaultIncomingCloudEventMetadata;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import dev.paint.shared.messaging.StageRetry;
import dev.paint.shared.storage.RetryPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the consumer acknowledges records and reports tasks, with the promotion rules over in-memory storage. */
class CandidateSelectedConsumerTest {

  private static final String MODEL = "digits";

  private final InMemoryVersionStorage storage = new InMemoryVersionStorage();
  private final Map<String, CheckpointRef> objectStore = new HashMap<>();
  private final RecordingPromotionEvents events = new RecordingPromotionEvents();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private PromotionService promotions;
  private CandidateSelectedConsumer consumer;
  private CandidateSelected candidate;

  @BeforeEach
  void registerRootVersion() {
    RegistryMetrics metrics = new RegistryMetrics(meters);
    promotions = new PromotionService(
        new ModelRegistry(storage, metrics), objectStore::get, events, metrics, Clock.systemUTC());
    consumer = new CandidateSelectedConsumer(promotions, events, metrics, new StageRetry(RetryPolicy.NONE));
    CheckpointRef encoder = store("models/digits/imports/u1/encoder.safetensors", "e1");
    CheckpointRef fashion = store("models/digits/heads/fashion.safetensors", "h1");
    promotions.registerImported(MODEL, new RegisterModelVersion(
        encoder, null, EncoderSpec.DEMO, List.of(TestEvents.head("fashion", fashion, TaskRole.SUPPORTED)), null, true));

    candidate = TestEvents.candidateSelected(
        "task-a", "mnist", promotions.deployed(MODEL), store("tasks/digits/task-a/alpha.safetensors", "c1"),
        store("models/digits/heads/mnist.safetensors", "h2"), 0.4, Instant.now());
  }

  @Test
  void validCandidatePromotedAndAcked() {
    Delivery delivery = new Delivery(Json.write(candidate), EventTypes.CANDIDATE_SELECTED);

    consumer.consume(delivery.message()).toCompletableFuture().join();

    assertThat(delivery.acked).isTrue();
    assertThat(promotions.deployed(MODEL).version()).isEqualTo(2);
  }

  @Test
  void malformedRecordDeadLetteredAndReported() {
    Delivery delivery = new Delivery("{\"task\":{\"taskId\":\"task-x\"},\"base\":{\"modelName\":\"digits\"}}",
        EventTypes.CANDIDATE_SELECTED);

    consumer.consume(delivery.message()).toCompletableFuture().join();

    assertThat(delivery.acked).isFalse();
    assertThat(delivery.nackReason).isNotNull();
    PatchTaskFailed failed = events.failed().get(0).event();
    assertThat(failed.taskId()).isEqualTo("task-x");
    assertThat(failed.modelName()).isEqualTo(MODEL);
    assertThat(failed.reason()).startsWith("Invalid CandidateSelected record at channel candidate-selected: ");
  }

  @Test
  void unknownTypeVersionDeadLetteredAndReported() {
    Delivery delivery = new Delivery(Json.write(candidate), "dev.paint.candidate.selected.v2");

    consumer.consume(delivery.message()).toCompletableFuture().join();

    assertThat(delivery.acked).isFalse();
    assertThat(delivery.nackReason).hasMessageContaining("dev.paint.candidate.selected.v2");
    assertThat(events.failed().get(0).event().reason())
        .contains("Unsupported CloudEvents type 'dev.paint.candidate.selected.v2'");
    assertThat(promotions.deployed(MODEL).version()).isEqualTo(1);
  }

  @Test
  void storageFailureNackedAndReported() {
    storage.failNextDeployedWrites(1);
    Delivery delivery = new Delivery(Json.write(candidate), EventTypes.CANDIDATE_SELECTED);

    consumer.consume(delivery.message()).toCompletableFuture().join();

    assertThat(delivery.nackReason).hasMessageContaining("Simulated object store failure");
    assertThat(events.failed()).extracting(sent -> sent.event().taskId()).containsExactly("task-a");
    assertThat(events.failed().get(0).event().reason()).startsWith("Promotion failed: ");
  }

  @Test
  void unsentAnnouncementNackedWithoutFailure() {
    events.failNextPromotedSends(1);
    Delivery delivery = new Delivery(Json.write(candidate), EventTypes.CANDIDATE_SELECTED);

    consumer.consume(delivery.message()).toCompletableFuture().join();

    assertThat(delivery.nackReason).hasMessageContaining("Simulated broker failure");
    assertThat(events.failed()).isEmpty();
    assertThat(promotions.deployed(MODEL).version()).isEqualTo(2);
  }

  private CheckpointRef store(String key, String sha256) {
    CheckpointRef ref = new CheckpointRef(key, sha256, 64);
    objectStore.put(key, ref);
    return ref;
  }

  /** One record as the Kafka connector hands it over, remembering whether it was acked or nacked. */
  private static final class Delivery {

    private final String payload;
    private final String type;
    private boolean acked;
    private Throwable nackReason;

    Delivery(String payload, String type) {
      this.payload = payload;
      this.type = type;
    }

    Message<String> message() {
      DefaultIncomingCloudEventMetadata<String> cloudEvent = new DefaultIncomingCloudEventMetadata<>(
          "1.0", "task-a:evaluation", URI.create("urn:paint:evaluator-service"), type, "application/json", null,
          null, null, Map.of(), payload);
      return Message.of(
          payload,
          Metadata.of(cloudEvent),
          () -> {
            acked = true;
            return CompletableFuture.completedFuture(null);
          },
          reason -> {
            nackReason = reason;
            return CompletableFuture.completedFuture(null);
          });
    }
  }
}
