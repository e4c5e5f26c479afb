package dev.paint.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest.ShardEntry;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.LabeledImages;
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
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.StageRecords;
import dev.paint.testing.KafkaEvents;
import dev.paint.trainer.domain.SubmittedTask;
import dev.paint.trainer.domain.TrainerStages;
import dev.paint.trainer.service.PatchTaskScheduler;
import dev.paint.testing.LocalStackResource;
import dev.paint.testing.SyntheticImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer against a real broker and object store, on a small dataset of two classes it can learn. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class PatchTaskSubmittedConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 8, 10.0);
  private static final List<String> CLASSES = List.of("top", "bottom");
  /** Enough passes over 200 images to train for longer than the test profile's max.poll.interval.ms of 5 s. */
  private static final int LONG_EPOCHS = 1_500;

  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @Inject StageRecords stages;
  @Inject ObjectStore store;
  @Inject PatchTaskScheduler scheduler;
  @Inject @Identifier(RebalanceCounter.NAME) RebalanceCounter rebalances;
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
    baseEncoder = deploy(modelName, false);
  }

  /**
   * Registers version 1 of {@code name} with the registry stand-in and returns its encoder, stored as one file or, when
   * {@code sharded}, as an index and one shard per layer. The shards are named {@code model-0000n-of-0000m}, unlike
   * those that the trainer's own index name would give.
   */
  private CheckpointRef deploy(String name, boolean sharded) throws Exception {
    Path encoderFile = sharded
        ? directory.resolve(name + "-sharded").resolve("model" + Checkpoints.INDEX_SUFFIX)
        : directory.resolve(name + "-encoder.safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 7)) {
      encoder.save(encoderFile, Map.of());
    }
    CheckpointRef encoder = sharded
        ? checkpoints.upload(ObjectKeys.importedShardedEncoder(name, "base-sharded"), encoderFile)
        : checkpoints.upload(ObjectKeys.importedEncoder(name, "base"), encoderFile);
    Path headFile = directory.resolve(name + "-head.safetensors");
    ClassificationHead.random(2, SPEC.embeddingDim(), 1).save(headFile, Map.of());
    CheckpointRef head = checkpoints.upload("models/" + name + "/heads/supported.safetensors", headFile);
    TaskHead supported = new TaskHead("supported", "halves", CLASSES, head, TaskRole.SUPPORTED);
    RegistryStandIn.DEPLOYED.put(name, new DeployedModel(name, 1, encoder, SPEC, List.of(supported), 1, encoder));
    return encoder;
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
  void shardedBaseGivesShardedFineTunedEncoder() throws Exception {
    CheckpointRef shardedBase = deploy(modelName, true);
    String taskId = "train-sharded-" + UUID.randomUUID();

    submit(task(taskId, "halves", CLASSES));
    EncoderFineTuned result = awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);

    assertThat(result.base().encoder()).isEqualTo(shardedBase);
    assertThat(result.fineTuned().key()).isEqualTo(ObjectKeys.fineTunedShardedEncoder(modelName, taskId));
    ShardedCheckpointManifest base = (ShardedCheckpointManifest) checkpoints.manifest(shardedBase.key());
    ShardedCheckpointManifest fineTuned = (ShardedCheckpointManifest) checkpoints.manifest(result.fineTuned().key());
    assertThat(fineTuned.shards()).extracting(ShardEntry::file)
        .containsExactlyElementsOf(base.shards().stream().map(ShardEntry::file).toList())
        .hasSizeGreaterThan(1);
    assertThat(weights(result.fineTuned(), "conv0.weight")).isNotEqualTo(weights(shardedBase, "conv0.weight"));
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
    promote(modelName, first);
    EncoderFineTuned result = awaitEvent(Topics.ENCODER_FINE_TUNED, second, EncoderFineTuned.class);

    assertThat(meanwhile).noneMatch(r -> r.value().contains(second));
    assertThat(result.base().version()).isEqualTo(2);
  }

  @Test
  void otherModelTrainsWhileModelWaits() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    String otherModel = modelName + "-other";
    deploy(otherModel, false);
    String first = "train-first-" + UUID.randomUUID();
    String second = "train-second-" + UUID.randomUUID();
    String other = "train-other-" + UUID.randomUUID();
    submit(task(first, "halves", CLASSES));
    awaitEvent(Topics.ENCODER_FINE_TUNED, first, EncoderFineTuned.class);

    submit(task(second, "halves", CLASSES));
    submit(otherTask(other, otherModel));
    EncoderFineTuned otherResult = awaitEvent(Topics.ENCODER_FINE_TUNED, other, EncoderFineTuned.class);
    List<ConsumerRecord<String, String>> meanwhile =
        KafkaEvents.readAll(bootstrap, Topics.ENCODER_FINE_TUNED, Duration.ofSeconds(3));
    promote(modelName, first);
    EncoderFineTuned secondResult = awaitEvent(Topics.ENCODER_FINE_TUNED, second, EncoderFineTuned.class);

    assertThat(otherResult.task().modelName()).isEqualTo(otherModel);
    assertThat(otherResult.base().version()).isEqualTo(1);
    assertThat(meanwhile).noneMatch(r -> r.value().contains(second));
    assertThat(secondResult.base().version()).isEqualTo(2);
  }

  @Test
  void recordedTaskResumesAfterRestart() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    String trained = "train-before-restart-" + UUID.randomUUID();
    String recorded = "train-recorded-" + UUID.randomUUID();
    submit(task(trained, "halves", CLASSES));
    EncoderFineTuned trainedResult = awaitEvent(Topics.ENCODER_FINE_TUNED, trained, EncoderFineTuned.class);
    // The state a crash leaves behind right after the consumer recorded a task and acknowledged its record.
    stages.save(modelName, recorded, TrainerStages.SUBMITTED,
        new SubmittedTask(task(recorded, "halves", CLASSES), Instant.now(), -1));

    scheduler.resume();
    List<ConsumerRecord<String, String>> meanwhile =
        KafkaEvents.readAll(bootstrap, Topics.ENCODER_FINE_TUNED, Duration.ofSeconds(6));
    promote(modelName, trained);
    EncoderFineTuned recordedResult = awaitEvent(Topics.ENCODER_FINE_TUNED, recorded, EncoderFineTuned.class);
    List<ConsumerRecord<String, String>> all =
        KafkaEvents.readAll(bootstrap, Topics.ENCODER_FINE_TUNED, Duration.ofSeconds(3));

    assertThat(meanwhile).noneMatch(r -> r.value().contains(recorded));
    assertThat(recordedResult.base().version()).isEqualTo(2);
    assertThat(all).filteredOn(r -> r.value().contains(trained)).hasSize(1);
    assertThat(stages.find(modelName, trained, TrainerStages.FINE_TUNED, EncoderFineTuned.class)).contains(
        trainedResult);
  }

  @Test
  void unpublishedResultIsPublishedOnResume() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    String taskId = "train-unpublished-" + UUID.randomUUID();
    submit(task(taskId, "halves", CLASSES));
    EncoderFineTuned first = awaitEvent(Topics.ENCODER_FINE_TUNED, taskId, EncoderFineTuned.class);
    // The state a crash leaves behind between storing the result and the broker's acknowledgement of its event.
    store.delete("tasks/" + modelName + "/" + taskId + "/stages/" + TrainerStages.PUBLISHED + ".json");

    scheduler.resume();
    AtomicInteger matches = new AtomicInteger();
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(bootstrap, Topics.ENCODER_FINE_TUNED,
        r -> r.value().contains(taskId) && matches.incrementAndGet() == 2, Duration.ofSeconds(60));

    List<EncoderFineTuned> results = records.stream().filter(r -> r.value().contains(taskId))
        .map(r -> Json.read(r.value(), EncoderFineTuned.class)).toList();
    assertThat(results).hasSize(2);
    assertThat(results.get(1)).isEqualTo(first);
  }

  @Test
  void longTrainingCausesNoRebalance() throws Exception {
    String bootstrap = LocalStackResource.broker().bootstrapServers();
    String taskId = "train-long-" + UUID.randomUUID();
    int assignmentsBefore = rebalances.assignments.get();
    int revocationsBefore = rebalances.revocations.get();
    Hyperparameters slow = new Hyperparameters(1e-3, LONG_EPOCHS, 64, null, 1, null, null, null);

    String otherModel = modelName + "-other";
    deploy(otherModel, false);
    String other = "train-other-" + UUID.randomUUID();

    submit(new PatchTaskSubmitted(taskId, modelName, "patch", "halves", CLASSES, null, slow, null, null));
    await().atMost(Duration.ofSeconds(60)).until(() -> isRecorded(modelName, taskId, TrainerStages.SUBMITTED));
    submit(otherTask(other, otherModel));
    await().atMost(Duration.ofSeconds(60)).until(() -> isRecorded(otherModel, other, TrainerStages.SUBMITTED));
    boolean longTaskFinishedFirst = isRecorded(modelName, taskId, TrainerStages.FINE_TUNED);
    EncoderFineTuned result = KafkaEvents.awaitRecord(bootstrap, Topics.ENCODER_FINE_TUNED,
            r -> r.value().contains(taskId), Duration.ofMinutes(4)).stream()
        .filter(r -> r.value().contains(taskId)).map(r -> Json.read(r.value(), EncoderFineTuned.class))
        .findFirst().orElseThrow();
    List<ConsumerRecord<String, String>> all =
        KafkaEvents.readAll(bootstrap, Topics.ENCODER_FINE_TUNED, Duration.ofSeconds(3));

    assertThat(result.training().durationMillis()).isGreaterThan(maxPollIntervalMillis());
    assertThat(all).filteredOn(r -> r.value().contains(taskId)).hasSize(1);
    assertThat(longTaskFinishedFirst).as("long task fine-tuned before the next record was consumed").isFalse();
    assertThat(rebalances.assignments.get()).isEqualTo(assignmentsBefore);
    assertThat(rebalances.revocations.get()).isEqualTo(revocationsBefore);
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
  void unknownModelIsRejectedWithReason() throws Exception {
    String taskId = "train-no-model-" + UUID.randomUUID();
    String unknownModel = "unregistered-" + UUID.randomUUID().toString().substring(0, 8);

    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.PATCH_TASK_SUBMITTED, unknownModel,
        EventTypes.PATCH_TASK_SUBMITTED, otherTask(taskId, unknownModel));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.modelName()).isEqualTo(unknownModel);
    assertThat(failure.reason()).contains(unknownModel).contains("register a base version");
  }

  @Test
  void alphaOutsideUnitIntervalIsRejected() throws Exception {
    String taskId = "train-alpha-" + UUID.randomUUID();
    // The record rejects such an alpha itself, so the event is written as JSON, as a foreign producer would.
    ObjectNode json = Json.mapper().valueToTree(task(taskId, "halves", CLASSES));
    json.putObject("selection").putArray("alphas").add(0.0).add(1.5);

    KafkaEvents.publishRaw(LocalStackResource.broker().bootstrapServers(), Topics.PATCH_TASK_SUBMITTED, modelName,
        EventTypes.PATCH_TASK_SUBMITTED, json.toString());
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.reason()).contains("1.5").contains("[0, 1]");
  }

  @Test
  void datasetOfOtherImageSizeIsRejected() throws Exception {
    String taskId = "train-size-" + UUID.randomUUID();
    if (!datasets.exists("halves-4x4")) {
      datasets.upload(new Dataset("halves-4x4", CLASSES, smallImages(40), smallImages(8), smallImages(8)), Map.of());
    }

    submit(task(taskId, "halves-4x4", CLASSES));
    PatchTaskFailed failure = awaitEvent(Topics.PATCH_TASK_FAILED, taskId, PatchTaskFailed.class);

    assertThat(failure.reason()).contains("1x4x4").contains("1x8x8").contains("re-import");
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
    List<ConsumerRecord<String, String>> deadLetters = KafkaEvents.awaitRecord(bootstrap,
        Topics.deadLetter(PatchTaskSubmittedConsumer.CHANNEL), r -> r.value().equals("{malformed"),
        Duration.ofSeconds(60));
    assertThat(deadLetters).anySatisfy(r -> assertThat(r.value()).contains(badId));

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

  /** Returns {@code count} 4x4 images, half the size the test encoder takes, with labels 0 and 1 in turn. */
  private static LabeledImages smallImages(int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 2;
    }
    return new LabeledImages(1, 4, 4, new byte[count * 16], labels);
  }

  private PatchTaskSubmitted task(String taskId, String dataset, List<String> classes) {
    Hyperparameters hyperparameters = new Hyperparameters(1e-2, 2, 64, null, 1, null, null, null);
    return new PatchTaskSubmitted(taskId, modelName, "patch", dataset, classes, null, hyperparameters, null, null);
  }

  private PatchTaskSubmitted otherTask(String taskId, String otherModel) {
    Hyperparameters hyperparameters = new Hyperparameters(1e-2, 2, 64, null, 1, null, null, null);
    return new PatchTaskSubmitted(taskId, otherModel, "patch", "halves", CLASSES, null, hyperparameters, null, null);
  }

  /** Deploys version 2 of {@code model} in the registry stand-in and publishes its promotion for {@code taskId}. */
  private void promote(String model, String taskId) {
    DeployedModel version1 = RegistryStandIn.DEPLOYED.get(model);
    RegistryStandIn.DEPLOYED.put(model, new DeployedModel(model, 2, version1.encoder(), version1.architecture(),
        version1.tasks(), 1, version1.rootEncoder()));
    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.MODEL_PROMOTED, model,
        EventTypes.MODEL_PROMOTED, new ModelPromoted(model, 2, 1, taskId, 0.5, version1.encoder(), version1.tasks(),
            Map.of(), "patch", Instant.now()));
  }

  private boolean isRecorded(String model, String taskId, String stage) {
    return stages.find(model, taskId, stage, Object.class).isPresent();
  }

  private static long maxPollIntervalMillis() {
    return ConfigProvider.getConfig().getValue(
        "mp.messaging.incoming." + PatchTaskSubmittedConsumer.CHANNEL + ".max.poll.interval.ms", Long.class);
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
    Path file = CheckpointStore.localPath(checkpoint, directory, "weights-" + UUID.randomUUID());
    checkpoints.download(checkpoint, file);
    try (Checkpoint downloaded = Checkpoints.open(file)) {
      return downloaded.read(tensor).toFloats();
    }
  }

}
