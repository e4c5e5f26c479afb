package dev.paint.registry.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.service.ModelRegistry;
import dev.paint.registry.service.PromotionService;
import dev.paint.registry.service.RegistryMetrics;
import dev.paint.registry.storage.ObjectStoreVersionStorage;
import dev.paint.registry.support.RecordingPromotionEvents;
import dev.paint.registry.support.RegistryFixtures;
import dev.paint.registry.support.TopicRecorder;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The registry end to end: CandidateSelected records in, ModelPromoted and PatchTaskFailed records out. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class CandidatePromotionTest {

  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

  private static String bootstrapServers;
  private static TopicRecorder recorder;

  @Inject
  CheckpointStore checkpoints;

  @Inject
  ObjectStore objectStore;

  @Inject
  ModelRegistry registry;

  @Inject
  MeterRegistry meters;

  @BeforeAll
  static void recordRegistryEvents() {
    bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    recorder = new TopicRecorder(bootstrapServers, List.of(Topics.MODEL_PROMOTED, Topics.PATCH_TASK_FAILED));
  }

  @AfterAll
  static void stopRecording() throws InterruptedException {
    if (recorder != null) {
      recorder.close();
    }
  }

  @Test
  void channelsUseSharedTopics() {
    assertThat(topicOf("incoming", CandidateSelectedConsumer.CHANNEL)).isEqualTo(Topics.CANDIDATE_SELECTED);
    assertThat(topicOf("outgoing", RegistryEventPublisher.MODEL_PROMOTED_CHANNEL)).isEqualTo(Topics.MODEL_PROMOTED);
    assertThat(topicOf("outgoing", RegistryEventPublisher.PATCH_TASK_FAILED_CHANNEL))
        .isEqualTo(Topics.PATCH_TASK_FAILED);
  }

  @Test
  void candidateSelectedPromotesNewVersion() {
    String model = RegistryFixtures.uniqueModelName("promote");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    CandidateSelected event =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-a", "mnist", 0.4);

    publish(event);

    ModelPromoted promoted = awaitPatchPromotions(model, 1).get(0);
    assertThat(promoted.version()).isEqualTo(2);
    assertThat(promoted.previousVersion()).isEqualTo(1);
    assertThat(promoted.taskId()).isEqualTo("task-a");
    assertThat(promoted.encoder()).isEqualTo(event.chosen().checkpoint());
    DeployedModel deployed = RegistryFixtures.deployed(model);
    assertThat(deployed.version()).isEqualTo(2);
    assertThat(deployed.encoder()).isEqualTo(event.chosen().checkpoint());
    assertThat(deployed.tasks()).extracting(head -> head.task()).containsExactly("fashion", "mnist");
  }

  @Test
  void modelPromotedCarriesCloudEventHeaders() {
    String model = RegistryFixtures.uniqueModelName("headers");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    publish(RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-h", "mnist", 0.6));

    awaitPatchPromotions(model, 1);
    TopicRecorder.Received record = recorder.received(Topics.MODEL_PROMOTED, model).stream()
        .filter(received -> received.value().contains("\"reason\":\"patch\""))
        .findFirst().orElseThrow();
    assertThat(record.headers()).containsEntry("ce_type", EventTypes.MODEL_PROMOTED);
    assertThat(record.headers()).containsEntry("ce_id", "task-h:promotion");
    assertThat(record.headers()).containsEntry("ce_source", "urn:paint:registry-service");
    assertThat(record.headers()).containsEntry("ce_specversion", "1.0");
  }

  @Test
  void redeliveredCandidateSelectedIgnored() {
    String model = RegistryFixtures.uniqueModelName("duplicate");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    CandidateSelected event =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-d", "mnist", 0.4);
    publish(event);
    awaitPatchPromotions(model, 1);

    publish(event);

    await().atMost(EVENT_TIMEOUT).until(() -> promotions(model, "duplicate") == 1.0);
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
        .until(() -> patchPromotions(model).size() == 1);
    assertThat(registry.versions(model)).hasSize(2);
    assertThat(recorder.received(Topics.PATCH_TASK_FAILED, model)).isEmpty();
  }

  @Test
  void staleCandidateSelectedFailsTask() {
    String model = RegistryFixtures.uniqueModelName("stale");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    DeployedModel first = RegistryFixtures.deployed(model);
    publish(RegistryFixtures.candidate(checkpoints, first, "task-1", "mnist", 0.4));
    awaitPatchPromotions(model, 1);

    publish(RegistryFixtures.candidate(checkpoints, first, "task-2", "svhn", 0.5));

    PatchTaskFailed failed = awaitFailure(model, "task-2");
    assertThat(failed.stage()).isEqualTo("promotion");
    assertThat(failed.reason()).isEqualTo(
        "Candidate of task task-2 was built on version 1 but version 2 of model '" + model + "' is deployed;"
            + " resubmit the task to patch the deployed model");
    assertThat(registry.versions(model)).hasSize(2);
    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(2);
  }

  @Test
  void malformedRecordsSkippedAndReported() {
    String model = RegistryFixtures.uniqueModelName("malformed");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    String incomplete = "{\"task\":{\"taskId\":\"bad-json\",\"modelName\":\"" + model + "\"}}";
    CandidateSelected valid =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-ok", "mnist", 0.4);

    KafkaEvents.publishRaw(bootstrapServers, Topics.CANDIDATE_SELECTED, model, EventTypes.CANDIDATE_SELECTED, incomplete);
    KafkaEvents.publish(
        bootstrapServers, Topics.CANDIDATE_SELECTED, model, "dev.paint.candidate.selected.v9",
        withTaskId(valid, "bad-type"));
    KafkaEvents.publishRaw(
        bootstrapServers, Topics.CANDIDATE_SELECTED, model, null, Json.write(withTaskId(valid, "no-headers")));
    publish(valid);

    assertThat(awaitFailure(model, "bad-json").reason()).contains("Invalid CandidateSelected record");
    assertThat(awaitFailure(model, "bad-type").reason())
        .contains("Unsupported CloudEvents type 'dev.paint.candidate.selected.v9'");
    assertThat(awaitFailure(model, "no-headers").reason()).contains("Missing CloudEvents headers");
    assertThat(awaitPatchPromotions(model, 1).get(0).taskId()).isEqualTo("task-ok");
    for (String taskId : List.of("bad-json", "bad-type", "no-headers")) {
      assertThat(KafkaEvents.awaitRecord(bootstrapServers, Topics.deadLetter(CandidateSelectedConsumer.CHANNEL),
          r -> r.value().contains("\"" + taskId + "\""), Duration.ofSeconds(60))).as(taskId).isNotEmpty();
    }
  }

  @Test
  void restartedRegistrySeesEveryVersion() {
    String model = RegistryFixtures.uniqueModelName("restart");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    publish(RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-r", "mnist", 0.4));
    awaitPatchPromotions(model, 1);

    ObjectStore reconnected = ObjectStore.connect(objectStore.settings());
    RegistryMetrics metrics = new RegistryMetrics(new SimpleMeterRegistry());
    ModelRegistry restartedRegistry = new ModelRegistry(new ObjectStoreVersionStorage(reconnected), metrics);
    PromotionService restarted = new PromotionService(
        restartedRegistry, new CheckpointStore(reconnected)::find, new RecordingPromotionEvents(), metrics,
        Clock.systemUTC());

    assertThat(restartedRegistry.versions(model)).isEqualTo(registry.versions(model));
    assertThat(restartedRegistry.history(model)).extracting(AliasChange::reason).containsExactly("import", "patch");
    assertThat(restarted.deployed(model)).isEqualTo(RegistryFixtures.deployed(model));
    assertThat(restarted.versionOfTask(model, "task-r")).get().extracting(ModelVersion::version).isEqualTo(2);
    assertThat(objectStore.list("registry/" + model + "/")).containsExactly(
        "registry/" + model + "/announced/task-r.json",
        "registry/" + model + "/deployed.json",
        "registry/" + model + "/history/000001.json",
        "registry/" + model + "/history/000002.json",
        "registry/" + model + "/versions/000001.json",
        "registry/" + model + "/versions/000002.json");
  }

  private static void publish(CandidateSelected event) {
    KafkaEvents.publish(
        bootstrapServers, Topics.CANDIDATE_SELECTED, event.base().modelName(), EventTypes.CANDIDATE_SELECTED, event);
  }

  private static CandidateSelected withTaskId(CandidateSelected event, String taskId) {
    PatchTaskSubmitted task = event.task();
    PatchTaskSubmitted renamed = new PatchTaskSubmitted(
        taskId, task.modelName(), task.task(), task.dataset(), task.classNames(), task.head(), task.hyperparameters(),
        task.selection(), task.submittedAt());
    return new CandidateSelected(
        renamed, event.base(), event.patchHead(), event.fineTuned(), event.training(), event.chosen(), event.rule(),
        event.tolerancePoints(), event.alphas(), event.validationCurves(), event.accuracy());
  }

  private static List<ModelPromoted> patchPromotions(String model) {
    return recorder.received(Topics.MODEL_PROMOTED, model).stream()
        .map(record -> Json.read(record.value(), ModelPromoted.class))
        .filter(promoted -> "patch".equals(promoted.reason()))
        .toList();
  }

  private static List<ModelPromoted> awaitPatchPromotions(String model, int count) {
    await().atMost(EVENT_TIMEOUT).until(() -> patchPromotions(model).size() >= count);
    return patchPromotions(model);
  }

  private static PatchTaskFailed awaitFailure(String model, String taskId) {
    await().atMost(EVENT_TIMEOUT).until(() -> failure(model, taskId) != null);
    return failure(model, taskId);
  }

  private static PatchTaskFailed failure(String model, String taskId) {
    return recorder.received(Topics.PATCH_TASK_FAILED, model).stream()
        .map(record -> Json.read(record.value(), PatchTaskFailed.class))
        .filter(failed -> taskId.equals(failed.taskId()))
        .findFirst().orElse(null);
  }

  private double promotions(String model, String outcome) {
    Counter counter = Search.in(meters).name(RegistryMetrics.PROMOTIONS).tag("model", model).tag("outcome", outcome)
        .counter();
    return counter == null ? 0.0 : counter.count();
  }

  private static String topicOf(String direction, String channel) {
    return ConfigProvider.getConfig().getValue("mp.messaging." + direction + "." + channel + ".topic", String.class);
  }
}
