package dev.paint.interpolator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpolator against a real broker and object store: one fine-tuned event in, stored candidates out. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class EncoderFineTunedConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 4, List.of(), List.of(), 2, 10.0);

  @Inject CheckpointStore checkpoints;
  @TempDir Path directory;

  private CheckpointFixtures fixtures() {
    return new CheckpointFixtures(checkpoints, directory);
  }

  @Test
  void fineTunedEventProducesCandidatesInStore() throws Exception {
    String taskId = "interp-" + UUID.randomUUID();
    CheckpointRef base = fixtures().store("base", new float[] {0f, 2f, 4f, 6f}, taskId);
    CheckpointRef fineTuned = fixtures().store("fine-tuned", new float[] {10f, 12f, 14f, 16f}, taskId);
    EncoderFineTuned event = event(taskId, base, fineTuned, List.of(0.0, 0.5, 1.0));

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.ENCODER_FINE_TUNED, "m",
        EventTypes.ENCODER_FINE_TUNED, event);
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.CANDIDATES_INTERPOLATED,
        r -> r.value().contains(taskId), Duration.ofSeconds(60));

    ConsumerRecord<String, String> record = records.get(records.size() - 1);
    CandidatesInterpolated result = Json.read(record.value(), CandidatesInterpolated.class);
    assertThat(KafkaEvents.header(record, "ce_type")).isEqualTo(EventTypes.CANDIDATES_INTERPOLATED);
    assertThat(record.key()).isEqualTo("m");
    assertThat(result.candidates()).extracting(c -> c.alpha()).containsExactly(0.0, 0.5, 1.0);
    assertThat(result.base().version()).isEqualTo(1);
    assertThat(fixtures().weights(result.candidates().get(0).checkpoint())).containsExactly(0f, 2f, 4f, 6f);
    assertThat(fixtures().weights(result.candidates().get(1).checkpoint())).containsExactly(5f, 7f, 9f, 11f);
    assertThat(fixtures().weights(result.candidates().get(2).checkpoint())).containsExactly(10f, 12f, 14f, 16f);
  }

  @Test
  void mismatchedCheckpointsReportFailure() throws Exception {
    String taskId = "interp-bad-" + UUID.randomUUID();
    CheckpointRef base = fixtures().store("base", new float[] {0f, 2f, 4f, 6f}, taskId);
    Path file = directory.resolve("other.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("other.weight", new long[] {4}, new float[4])), Map.of());
    CheckpointRef fineTuned = checkpoints.upload("tasks/m/" + taskId + "/other.safetensors", file);

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.ENCODER_FINE_TUNED, "m",
        EventTypes.ENCODER_FINE_TUNED, event(taskId, base, fineTuned, List.of(0.5)));
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.PATCH_TASK_FAILED,
        r -> r.value().contains(taskId), Duration.ofSeconds(60));

    PatchTaskFailed failure = Json.read(records.get(records.size() - 1).value(), PatchTaskFailed.class);
    assertThat(failure.stage()).isEqualTo("interpolation");
    assertThat(failure.reason()).contains("other.weight").contains("missing from the base");
  }

  @Test
  void malformedEventDoesNotStopConsumer() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    KafkaEvents.publishRaw(bootstrap, Topics.ENCODER_FINE_TUNED, "m", EventTypes.ENCODER_FINE_TUNED, "{not json");

    fineTunedEventProducesCandidatesInStore();
  }

  private EncoderFineTuned event(String taskId, CheckpointRef base, CheckpointRef fineTuned, List<Double> alphas) {
    TaskHead head = new TaskHead("t", "d", List.of("a", "b"), base, TaskRole.SUPPORTED);
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, "m", "t2", "d2", List.of("a", "b"), null, null,
        new Selection(null, null, alphas), null);
    DeployedModel deployed = new DeployedModel("m", 1, base, SPEC, List.of(head), 1, base);
    return new EncoderFineTuned(task, deployed, head, fineTuned, null);
  }
}
