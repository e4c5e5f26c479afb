package dev.paint.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.paint.shared.checkpoint.SafetensorsFile;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import dev.paint.testing.SyntheticImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer against a real broker and object store, on a small dataset of two classes it can learn. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class PatchTaskSubmittedConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 8, 10.0);
  private static final List<String> CLASSES = List.of("top", "bottom");

  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @TempDir Path directory;

  private String modelName;
  private CheckpointRef baseEncoder;

  @BeforeEach
  void deployBaseModel() throws Exception {
    modelName = "trainer-" + UUID.randomUUID().toString().substring(0, 8);
    if (!datasets.exists("halves")) {
      Dataset halves = new Dataset("halves", CLASSES, SyntheticImages.halves(200, 1, false),
          SyntheticImages.halves(40, 2, false), SyntheticImages.halves(40, 3, false));
      datasets.upload(halves, Map.of());
    }
    Path encoderFile = directory.resolve("encoder.safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 7)) {
      encoder.save(encoderFile, Map.of());
    }
    baseEncoder = checkpoints.upload("models/" + modelName + "/imports/base/encoder.safetensors", encoderFile);
    Path headFile = directory.resolve("head.safetensors");
    ClassificationHead.random(2, SPEC.embeddingDim(), 1).save(headFile, Map.of());
    CheckpointRef head = checkpoints.upload("models/" + modelName + "/heads/supported.safetensors", headFile);
    TaskHead supported = new TaskHead("supported", "halves", CLASSES, head, TaskRole.SUPPORTED);
    RegistryStandIn.DEPLOYED.put(modelName,
        new DeployedModel(modelName, 1, baseEncoder, SPEC, List.of(supported), 1, baseEncoder));
  }

  @Test
  void patchTaskProducesFineTunedEncoder() throws Exception {
    String taskId = "train-" + UUID.randomUUID();

    submit(task(taskId, "halves", CLASSES));
    EncoderFineTuned result = awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);

    assertThat(result.base().version()).isEqualTo(1);
    assertThat(result.base().encoder()).isEqualTo(baseEncoder);
    assertThat(result.patchHead().role()).isEqualTo(TaskRole.PATCH);
    assertThat(result.patchHead().classNames()).isEqualTo(CLASSES);
    assertThat(result.training().steps()).isEqualTo(2 * 4);
    assertThat(result.training().device()).isEqualTo("cpu");
    assertThat(result.fineTuned().sha256()).isNotEqualTo(baseEncoder.sha256());
    assertThat(weights(result.fineTuned(), "conv0.weight")).isNotEqualTo(weights(baseEncoder, "conv0.weight"));
  }

  @Test
  void trainingMetricsAreExported() throws Exception {
    String taskId = "train-metrics-" + UUID.randomUUID();

    submit(task(taskId, "halves", CLASSES));
    awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);
    String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();

    assertThat(metrics).contains("paint_trainer_duration_seconds_count{device=\"cpu\",model=\"" + modelName + "\"} 1");
    assertThat(metrics).contains("paint_trainer_epoch{model=\"" + modelName + "\"} 2.0");
    assertThat(metrics).containsPattern("paint_trainer_images_per_second\\{model=\"" + modelName + "\"} [1-9]");
  }

  @Test
  void nextTaskWaitsForPredecessorPromotion() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    String first = "train-first-" + UUID.randomUUID();
    String second = "train-second-" + UUID.randomUUID();
    submit(task(first, "halves", CLASSES));
    awaitEvent(Topics.ENCODER_FINE_TUNED, first, EncoderFineTuned.class);

    submit(task(second, "halves", CLASSES));
    List<ConsumerRecord<String, String>> meanwhile =
        KafkaEvents.readAll(bootstrap, Topics.ENCODER_FINE_TUNED, Duration.ofSeconds(6));
    DeployedModel version1 = RegistryStandIn.DEPLOYED.get(modelName);
    RegistryStandIn.DEPLOYED.put(modelName, new DeployedModel(modelName, 2, version1.encoder(),
        version1.architecture(), version1.tasks(), 1, version1.rootEncoder()));
    KafkaEvents.publish(bootstrap, Topics.MODEL_PROMOTED, modelName, EventTypes.MODEL_PROMOTED,
        new ModelPromoted(modelName, 2, 1, first, 0.5, version1.encoder(), version1.tasks(), Map.of(), "patch",
            Instant.now()));
    EncoderFineTuned result = awaitEvent(Topics.ENCODER_FINE_TUNED, second, EncoderFineTuned.class);

    assertThat(meanwhile).noneMatch(r -> r.value().contains(second));
    assertThat(result.base().version()).isEqualTo(2);
  }

  @Test
  void unknownDatasetIsRejectedWithReason() throws Exception {
    String taskId = "train-unknown-" + UUID.randomUUID();

    submit(task(taskId, "no-such-dataset", CLASSES));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.stage()).isEqualTo("training");
    assertThat(failure.reason()).contains("no-such-dataset").contains("import");
  }

  @Test
  void mismatchedClassNamesAreRejected() throws Exception {
    String taskId = "train-classes-" + UUID.randomUUID();

    submit(task(taskId, "halves", List.of("bottom", "top")));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.reason()).contains("[bottom, top]").contains("[top, bottom]");
  }

  @Test
  void missingFieldIsRejectedAndNextTaskRuns() throws Exception {
    String badId = "train-missing-" + UUID.randomUUID();
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    KafkaEvents.publishRaw(bootstrap, Topics.PATCH_TASK_SUBMITTED, modelName, EventTypes.PATCH_TASK_SUBMITTED,
        "{\"taskId\":\"" + badId + "\",\"modelName\":\"" + modelName + "\"}");
    KafkaEvents.publishRaw(bootstrap, Topics.PATCH_TASK_SUBMITTED, modelName, EventTypes.PATCH_TASK_SUBMITTED,
        "{malformed");

    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, badId, PatchTaskFailed.class);
    assertThat(failure.reason()).contains("Missing required field 'task'");

    patchTaskProducesFineTunedEncoder();
  }

  @Test
  void unknownEventVersionIsRejected() throws Exception {
    String taskId = "train-version-" + UUID.randomUUID();

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.PATCH_TASK_SUBMITTED, modelName,
        "dev.paint.patch-task.submitted.v9", task(taskId, "halves", CLASSES));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.reason()).contains("v9");
  }

  @Test
  void redeliveredTaskIsNotTrainedTwice() throws Exception {
    String taskId = "train-twice-" + UUID.randomUUID();
    PatchTaskSubmitted task = task(taskId, "halves", CLASSES);
    submit(task);
    EncoderFineTuned first = awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);

    submit(task);
    AtomicInteger matches = new AtomicInteger();
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.ENCODER_FINE_TUNED,
        r -> r.value().contains(taskId) && matches.incrementAndGet() == 2, Duration.ofSeconds(90));

    List<EncoderFineTuned> results = records.stream().filter(r -> r.value().contains(taskId))
        .map(r -> Json.read(r.value(), EncoderFineTuned.class)).toList();
    assertThat(results).hasSize(2);
    assertThat(results.get(1)).isEqualTo(first);
    assertThat(results.get(1).training().durationMillis()).isEqualTo(first.training().durationMillis());
  }

  @Test
  void reusedTaskIdWithOtherContentIsRejected() throws Exception {
    String taskId = "train-reused-" + UUID.randomUUID();
    submit(task(taskId, "halves", CLASSES));
    awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);

    Hyperparameters other = new Hyperparameters(5e-3, 1, 64, null, 1, null, null, null);
    submit(new PatchTaskSubmitted(taskId, modelName, "patch", "halves", CLASSES, null, other, null, null));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.reason()).contains(taskId).contains("different content");
  }

  private PatchTaskSubmitted task(String taskId, String dataset, List<String> classes) {
    Hyperparameters hyperparameters = new Hyperparameters(1e-2, 2, 64, null, 1, null, null, null);
    return new PatchTaskSubmitted(taskId, modelName, "patch", dataset, classes, null, hyperparameters, null, null);
  }

  private void submit(PatchTaskSubmitted task) {
    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.PATCH_TASK_SUBMITTED, modelName,
        EventTypes.PATCH_TASK_SUBMITTED, task);
  }

  private <T> T awaitEvent(String topic, String taskId, Class<T> type) {
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), topic, r -> r.value().contains(taskId), Duration.ofSeconds(90));
    return Json.read(records.get(records.size() - 1).value(), type);
  }

  private float[] weights(CheckpointRef checkpoint, String tensor) throws Exception {
    Path file = Files.createTempFile(directory, "weights", ".safetensors");
    checkpoints.download(checkpoint, file);
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      return safetensors.read(tensor).toFloats();
    }
  }

}
