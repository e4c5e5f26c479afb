package dev.paint.interpolator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest;
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
import dev.paint.testing.PrometheusSamples;
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
  private static final String PATCH_TASK = "t2";

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
  void shardedBaseGivesShardedCandidates() throws Exception {
    String taskId = "interp-sharded-" + UUID.randomUUID();
    CheckpointRef base = fixtures().storeSharded("base", new float[] {0f, 2f, 4f, 6f}, new float[] {1f, -1f}, taskId);
    CheckpointRef fineTuned =
        fixtures().storeWithBias("fine-tuned", new float[] {10f, 12f, 14f, 16f}, new float[] {3f, 1f}, taskId);

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.ENCODER_FINE_TUNED, "m",
        EventTypes.ENCODER_FINE_TUNED, event(taskId, base, fineTuned, List.of(0.0, 0.5, 1.0)));
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.CANDIDATES_INTERPOLATED,
        r -> r.value().contains(taskId), Duration.ofSeconds(60));

    CandidatesInterpolated result = Json.read(records.get(records.size() - 1).value(), CandidatesInterpolated.class);
    CheckpointRef middle = result.candidates().get(1).checkpoint();
    String folder = "tasks/m/" + taskId + "/candidates/alpha-0.50/";
    assertThat(middle.key()).isEqualTo(folder + "encoder.safetensors.index.json");
    assertThat(checkpoints.objectStore().list(folder)).containsExactly(
        folder + "encoder-00001-of-00002.safetensors", folder + "encoder-00002-of-00002.safetensors",
        folder + "encoder.safetensors.index.json", folder + "encoder.safetensors.index.json.manifest.json");
    ShardedCheckpointManifest manifest = (ShardedCheckpointManifest) checkpoints.manifest(middle.key());
    assertThat(manifest.sha256()).isEqualTo(middle.sha256());
    assertThat(manifest.shards()).extracting(ShardedCheckpointManifest.ShardEntry::file)
        .containsExactly(CheckpointFixtures.WEIGHT_SHARD, CheckpointFixtures.BIAS_SHARD);
    assertThat(manifest.metadata()).containsEntry("paint.merge.alpha", "0.5");
    assertThat(fixtures().tensor(middle, "proj.weight")).containsExactly(5f, 7f, 9f, 11f);
    assertThat(fixtures().tensor(middle, "proj.bias")).containsExactly(2f, 0f);
    assertThat(fixtures().tensor(result.candidates().get(0).checkpoint(), "proj.weight"))
        .containsExactly(0f, 2f, 4f, 6f);
    assertThat(fixtures().tensor(result.candidates().get(2).checkpoint(), "proj.bias")).containsExactly(3f, 1f);
  }

  @Test
  void interpolationMovesMeters() throws Exception {
    String model = "interp-metrics-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = "interp-" + UUID.randomUUID();
    CheckpointRef base = fixtures().store("base", new float[] {1f, 2f, 3f, 4f}, taskId);
    CheckpointRef fineTuned = fixtures().store("fine-tuned", new float[] {4f, 3f, 2f, 1f}, taskId);

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.ENCODER_FINE_TUNED, model,
        EventTypes.ENCODER_FINE_TUNED, event(model, taskId, base, fineTuned, List.of(0.0, 0.5, 1.0)));
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.CANDIDATES_INTERPOLATED,
        r -> r.value().contains(taskId), Duration.ofSeconds(60));

    CandidatesInterpolated result = Json.read(records.get(records.size() - 1).value(), CandidatesInterpolated.class);
    // Bytes mixed: both inputs once and every candidate written.
    long expectedBytes = base.sizeBytes() + fineTuned.sizeBytes()
        + result.candidates().stream().mapToLong(candidate -> candidate.checkpoint().sizeBytes()).sum();
    Map<String, String> tags = Map.of("model", model, "task", PATCH_TASK);
    PrometheusSamples metrics = scrape();
    assertThat(metrics.sum("paint_interpolator_duration_seconds_count", tags)).hasValue(1.0);
    assertThat(metrics.sum("paint_interpolator_duration_seconds_sum", tags).orElseThrow()).isPositive();
    assertThat(metrics.sum("paint_interpolator_bytes_total", tags)).hasValue((double) expectedBytes);
    // Micrometer's Kafka binder looks for new client metrics periodically, so the consumer meters can take a while.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(
        () -> assertThat(scrape().kafkaChannelProblem(EncoderFineTunedConsumer.CHANNEL)).isNull());
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
    assertThat(KafkaEvents.awaitRecord(bootstrap, Topics.deadLetter(EncoderFineTunedConsumer.CHANNEL),
        r -> r.value().equals("{not json"), Duration.ofSeconds(60))).isNotEmpty();
  }

  private EncoderFineTuned event(String taskId, CheckpointRef base, CheckpointRef fineTuned, List<Double> alphas) {
    return event("m", taskId, base, fineTuned, alphas);
  }

  private EncoderFineTuned event(
      String model, String taskId, CheckpointRef base, CheckpointRef fineTuned, List<Double> alphas) {
    TaskHead head = new TaskHead("t", "d", List.of("a", "b"), base, TaskRole.SUPPORTED);
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, model, PATCH_TASK, "d2", List.of("a", "b"), null, null,
        new Selection(null, null, alphas), null);
    DeployedModel deployed = new DeployedModel(model, 1, base, SPEC, List.of(head), 1, base);
    return new EncoderFineTuned(task, deployed, head, fineTuned, null);
  }

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
  }
}
