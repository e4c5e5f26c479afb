package dev.paint.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.support.InMemoryVersionStorage;
import dev.paint.registry.support.RecordingPromotionEvents;
import dev.paint.registry.support.TestEvents;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.model.EncoderSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromotionServiceTest {

  private static final String MODEL = "digits";
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00.123456Z");
  private static final Instant SUBMITTED = Instant.parse("2025-03-01T11:59:00Z");

  private final InMemoryVersionStorage storage = new InMemoryVersionStorage();
  private final Map<String, CheckpointRef> objectStore = new HashMap<>();
  private final RecordingPromotionEvents events = new RecordingPromotionEvents();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private CheckpointRef rootEncoder;
  private CheckpointRef fashionHead;
  private PromotionService service;

  @BeforeEach
  void registerRootVersion() {
    rootEncoder = store("models/digits/imports/u1/encoder.safetensors", "a1");
    fashionHead = store("models/digits/heads/fashion.safetensors", "f1");
    service = newService();

    service.registerImported(MODEL, importRequest(rootEncoder, true));
  }

  @AfterEach
  void closeMeters() {
    meters.close();
  }

  @Test
  void registerImportedDeploysFirstVersion() {
    ModelVersion first = versions().get(0);

    assertThat(first.version()).isEqualTo(1);
    assertThat(first.rootVersion()).isEqualTo(1);
    assertThat(first.source()).isEqualTo(ModelVersion.SOURCE_IMPORT);
    assertThat(first.lineage()).isNull();
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2025-03-01T12:00:00.123Z"));
    assertThat(service.deployed(MODEL).version()).isEqualTo(1);
    assertThat(history()).extracting(AliasChange::reason).containsExactly(AliasChange.REASON_IMPORT);
    assertThat(events.promoted()).hasSize(1);
    assertThat(events.promoted().get(0).event().reason()).isEqualTo("import");
    assertThat(events.promoted().get(0).event().previousVersion()).isNull();
  }

  @Test
  void registerImportedWithoutPromoteKeepsAlias() {
    CheckpointRef other = store("models/digits/imports/u2/encoder.safetensors", "a2");

    ModelVersion second = service.registerImported(MODEL, importRequest(other, false));

    assertThat(second.version()).isEqualTo(2);
    assertThat(second.rootVersion()).isEqualTo(2);
    assertThat(service.deployed(MODEL).version()).isEqualTo(1);
    assertThat(events.promoted()).hasSize(1);
  }

  @Test
  void registerImportedByKeyUsesManifestSha() {
    CheckpointRef other = store("models/digits/imports/u2/encoder.safetensors", "a2");
    RegisterModelVersion byKey = new RegisterModelVersion(
        null, other.key(), EncoderSpec.DEMO, List.of(TestEvents.head("fashion", fashionHead, TaskRole.SUPPORTED)),
        null, null);

    ModelVersion second = service.registerImported(MODEL, byKey);

    assertThat(second.encoder()).isEqualTo(other);
    assertThat(service.deployed(MODEL).version()).isEqualTo(2);
  }

  @Test
  void registerImportedUnknownEncoderRejected() {
    CheckpointRef missing = new CheckpointRef("models/digits/imports/none/encoder.safetensors", "00", 1);

    assertThatThrownBy(() -> service.registerImported(MODEL, importRequest(missing, true)))
        .isInstanceOf(InvalidRegistrationException.class)
        .hasMessageContaining("'models/digits/imports/none/encoder.safetensors' was not found");
    assertThat(versions()).hasSize(1);
  }

  @Test
  void registerImportedHeadShaMismatchRejected() {
    CheckpointRef staleHead = new CheckpointRef(fashionHead.key(), "ff", fashionHead.sizeBytes());
    RegisterModelVersion request = new RegisterModelVersion(
        rootEncoder, null, EncoderSpec.DEMO, List.of(TestEvents.head("fashion", staleHead, TaskRole.SUPPORTED)), null,
        true);

    assertThatThrownBy(() -> service.registerImported(MODEL, request))
        .isInstanceOf(InvalidRegistrationException.class)
        .hasMessageContaining("Head of task 'fashion'")
        .hasMessageContaining("has SHA-256 f1 in its manifest, but ff was expected");
  }

  @Test
  void registerImportedPatchRoleRejected() {
    RegisterModelVersion request = new RegisterModelVersion(
        rootEncoder, null, EncoderSpec.DEMO, List.of(TestEvents.head("fashion", fashionHead, TaskRole.PATCH)), null,
        true);

    assertThatThrownBy(() -> service.registerImported(MODEL, request))
        .isInstanceOf(InvalidRegistrationException.class)
        .hasMessageContaining("Task 'fashion' has role PATCH");
  }

  @Test
  void registerImportedInvalidModelNameRejected() {
    assertThatThrownBy(() -> service.registerImported("../etc", importRequest(rootEncoder, true)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("Invalid model name '../etc'");
  }

  @Test
  void promoteSuccessAppendsVersionAndMovesAlias() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);

    PromotionOutcome outcome = service.promote(event);

    assertThat(outcome.status()).isEqualTo(PromotionOutcome.Status.PROMOTED);
    ModelVersion second = outcome.version();
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.encoder()).isEqualTo(event.chosen().checkpoint());
    assertThat(second.tasks()).extracting(TaskHead::task).containsExactly("fashion", "mnist");
    assertThat(second.tasks().get(1)).isEqualTo(event.patchHead());
    assertThat(second.rootVersion()).isEqualTo(1);
    assertThat(second.source()).isEqualTo(ModelVersion.SOURCE_PATCH);
    assertThat(second.accuracy()).isEqualTo(event.accuracy());
    assertThat(second.lineage().baseVersion()).isEqualTo(1);
    assertThat(second.lineage().taskId()).isEqualTo("task-a");
    assertThat(second.lineage().alpha()).isEqualTo(0.4);
    assertThat(second.lineage().fineTuned()).isEqualTo(event.fineTuned());
    assertThat(service.deployed(MODEL).version()).isEqualTo(2);
    assertThat(service.deployed(MODEL).encoder()).isEqualTo(event.chosen().checkpoint());
    assertThat(storage.loadDeployed(MODEL)).get().extracting(AliasChange::version).isEqualTo(2);
    assertThat(storage.loadVersions(MODEL)).extracting(ModelVersion::version).containsExactly(1, 2);
  }

  @Test
  void promoteSuccessRecordsHistoryAndEvent() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);

    service.promote(event);

    AliasChange change = history().get(1);
    assertThat(change.reason()).isEqualTo(AliasChange.REASON_PATCH);
    assertThat(change.previousVersion()).isEqualTo(1);
    assertThat(change.taskId()).isEqualTo("task-a");
    RecordingPromotionEvents.Sent<ModelPromoted> sent = events.promoted().get(1);
    assertThat(sent.eventId()).isEqualTo("task-a:promotion");
    assertThat(sent.event().reason()).isEqualTo("patch");
    assertThat(sent.event().version()).isEqualTo(2);
    assertThat(sent.event().previousVersion()).isEqualTo(1);
    assertThat(sent.event().alpha()).isEqualTo(0.4);
    assertThat(sent.event().taskId()).isEqualTo("task-a");
    assertThat(sent.event().promotedAt()).isEqualTo(Instant.parse("2025-03-01T12:00:00.123Z"));
    assertThat(events.failed()).isEmpty();
  }

  @Test
  void promoteReplacesHeadOfSameTask() {
    CandidateSelected event = patch("task-a", "fashion", service.deployed(MODEL), 0.3);

    ModelVersion second = service.promote(event).version();

    assertThat(second.tasks()).hasSize(1);
    assertThat(second.tasks().get(0).head()).isEqualTo(event.patchHead().head());
    assertThat(second.tasks().get(0).role()).isEqualTo(TaskRole.PATCH);
  }

  @Test
  void promoteStaleBaseRejected() {
    DeployedModel first = service.deployed(MODEL);
    service.promote(patch("task-a", "mnist", first, 0.4));

    PromotionOutcome outcome = service.promote(patch("task-b", "svhn", first, 0.5));

    assertThat(outcome.status()).isEqualTo(PromotionOutcome.Status.REJECTED_STALE);
    assertThat(outcome.reason()).isEqualTo(
        "Candidate of task task-b was built on version 1 but version 2 of model 'digits' is deployed; resubmit the"
            + " task to patch the deployed model");
    assertThat(versions()).hasSize(2);
    assertThat(service.deployed(MODEL).version()).isEqualTo(2);
    PatchTaskFailed failed = events.failed().get(0).event();
    assertThat(failed.taskId()).isEqualTo("task-b");
    assertThat(failed.stage()).isEqualTo("promotion");
    assertThat(failed.reason()).isEqualTo(outcome.reason());
  }

  @Test
  void promoteDuplicateTaskIdIgnored() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);
    service.promote(event);

    PromotionOutcome again = service.promote(event);

    assertThat(again.status()).isEqualTo(PromotionOutcome.Status.DUPLICATE);
    assertThat(again.version().version()).isEqualTo(2);
    assertThat(versions()).hasSize(2);
    assertThat(history()).hasSize(2);
    assertThat(events.promoted()).extracting(sent -> sent.event().reason()).containsExactly("import", "patch");
    assertThat(events.failed()).isEmpty();
  }

  @Test
  void duplicateResendsUnsentPromotion() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);
    events.failNextPromotedSends(1);
    assertThatThrownBy(() -> service.promote(event)).hasMessageContaining("Simulated broker failure");

    PromotionOutcome again = service.promote(event);
    PromotionOutcome third = service.promote(event);

    assertThat(again.status()).isEqualTo(PromotionOutcome.Status.DUPLICATE);
    assertThat(third.status()).isEqualTo(PromotionOutcome.Status.DUPLICATE);
    assertThat(versions()).hasSize(2);
    assertThat(events.promoted()).extracting(sent -> sent.eventId()).containsExactly(
        events.promoted().get(0).eventId(), "task-a:promotion");
    assertThat(events.promoted().get(1).event().version()).isEqualTo(2);
  }

  @Test
  void promoteDuplicateAfterLaterPatchIgnored() {
    CandidateSelected taskA = patch("task-a", "mnist", service.deployed(MODEL), 0.4);
    service.promote(taskA);
    service.promote(patch("task-b", "svhn", service.deployed(MODEL), 0.5));

    PromotionOutcome again = service.promote(taskA);

    assertThat(again.status()).isEqualTo(PromotionOutcome.Status.DUPLICATE);
    assertThat(events.failed()).isEmpty();
    assertThat(service.deployed(MODEL).version()).isEqualTo(3);
  }

  @Test
  void promoteMissingCandidateCheckpointFails() {
    DeployedModel base = service.deployed(MODEL);
    CheckpointRef head = store("models/digits/heads/mnist.safetensors", "h2");
    CheckpointRef unstored = new CheckpointRef("tasks/digits/task-a/candidates/alpha-0.40.safetensors", "c9", 10);
    CandidateSelected event = TestEvents.candidateSelected("task-a", "mnist", base, unstored, head, 0.4, SUBMITTED);

    PromotionOutcome outcome = service.promote(event);

    assertThat(outcome.status()).isEqualTo(PromotionOutcome.Status.FAILED);
    assertThat(outcome.reason()).contains("'tasks/digits/task-a/candidates/alpha-0.40.safetensors' was not found");
    assertThat(events.failed()).extracting(sent -> sent.event().taskId()).containsExactly("task-a");
    assertThat(versions()).hasSize(1);
  }

  @Test
  void promoteUnknownModelFails() {
    DeployedModel unknown = new DeployedModel(
        "letters", 1, rootEncoder, EncoderSpec.DEMO, service.deployed(MODEL).tasks(), 1, rootEncoder);

    PromotionOutcome outcome = service.promote(patch("task-a", "mnist", unknown, 0.4));

    assertThat(outcome.status()).isEqualTo(PromotionOutcome.Status.FAILED);
    assertThat(outcome.reason()).contains("patches model 'letters', which has no versions in the registry");
    assertThat(service.versionOfTask("letters", "task-a")).isEmpty();
  }

  @Test
  void promoteBaseEncoderMismatchFails() {
    DeployedModel first = service.deployed(MODEL);
    CheckpointRef otherEncoder = new CheckpointRef(rootEncoder.key(), "b7", rootEncoder.sizeBytes());
    DeployedModel forged = new DeployedModel(
        MODEL, 1, otherEncoder, first.architecture(), first.tasks(), 1, first.rootEncoder());

    PromotionOutcome outcome = service.promote(patch("task-a", "mnist", forged, 0.4));

    assertThat(outcome.status()).isEqualTo(PromotionOutcome.Status.FAILED);
    assertThat(outcome.reason()).contains("encoder SHA-256 b7").contains("has encoder SHA-256 a1");
  }

  @Test
  void promoteCountsOutcomesPerModel() {
    DeployedModel first = service.deployed(MODEL);
    CandidateSelected taskA = patch("task-a", "mnist", first, 0.4);

    service.promote(taskA);
    service.promote(taskA);
    service.promote(patch("task-b", "svhn", first, 0.5));

    assertThat(promotions("promoted")).isEqualTo(1.0);
    assertThat(promotions("duplicate")).isEqualTo(1.0);
    assertThat(promotions("rejected_stale")).isEqualTo(1.0);
    assertThat(meters.get(RegistryMetrics.PIPELINE_LATENCY).tag("model", MODEL).timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(60_123.0);
  }

  @Test
  void concurrentPromotionsOnSameBaseDeployOne() throws Exception {
    DeployedModel first = service.deployed(MODEL);
    List<CandidateSelected> candidates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      candidates.add(patch("task-" + i, "task" + i, first, 0.5));
    }
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(candidates.size());
    List<Future<PromotionOutcome>> outcomes = new ArrayList<>();

    try {
      for (CandidateSelected candidate : candidates) {
        Callable<PromotionOutcome> promotion = () -> {
          start.await();
          return service.promote(candidate);
        };
        outcomes.add(executor.submit(promotion));
      }
      start.countDown();
      List<PromotionOutcome.Status> statuses = new ArrayList<>();
      for (Future<PromotionOutcome> outcome : outcomes) {
        statuses.add(outcome.get(10, TimeUnit.SECONDS).status());
      }

      assertThat(statuses).filteredOn(status -> status == PromotionOutcome.Status.PROMOTED).hasSize(1);
      assertThat(statuses).filteredOn(status -> status == PromotionOutcome.Status.REJECTED_STALE).hasSize(7);
      assertThat(versions()).hasSize(2);
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void interruptedPromotionRetriedAfterStorageFailure() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);
    storage.failNextDeployedWrites(1);

    assertThatThrownBy(() -> service.promote(event)).hasMessageContaining("Simulated object store failure");
    assertThat(service.deployed(MODEL).version()).isEqualTo(1);
    assertThat(promotions("failed")).isEqualTo(1.0);

    PromotionOutcome retried = service.promote(event);

    assertThat(retried.status()).isEqualTo(PromotionOutcome.Status.PROMOTED);
    assertThat(service.deployed(MODEL).version()).isEqualTo(retried.version().version());
    assertThat(history()).extracting(AliasChange::version).containsExactly(1, retried.version().version());
  }

  @Test
  void reloadedServiceSeesEveryVersion() {
    service.promote(patch("task-a", "mnist", service.deployed(MODEL), 0.4));
    service.rollback(MODEL, 1, "mnist regressed on fashion");

    PromotionService restarted = newService();

    assertThat(restarted.deployed(MODEL)).isEqualTo(service.deployed(MODEL));
    assertThat(restarted.versionOfTask(MODEL, "task-a")).get().extracting(ModelVersion::version).isEqualTo(2);
    PromotionOutcome next = restarted.promote(patch("task-b", "svhn", restarted.deployed(MODEL), 0.5));
    assertThat(next.version().version()).isEqualTo(3);
    assertThat(next.version().lineage().baseVersion()).isEqualTo(1);
  }

  @Test
  void reloadIgnoresHistoryEntryWithoutPointer() {
    CandidateSelected event = patch("task-a", "mnist", service.deployed(MODEL), 0.4);
    storage.failNextDeployedWrites(1);
    assertThatThrownBy(() -> service.promote(event)).hasMessageContaining("Simulated object store failure");

    PromotionService restarted = newService();
    PromotionOutcome retried = restarted.promote(event);

    assertThat(retried.status()).isEqualTo(PromotionOutcome.Status.PROMOTED);
    assertThat(storage.loadHistory(MODEL)).extracting(AliasChange::taskId).containsExactly(null, "task-a");
  }

  @Test
  void rollbackMovesAliasToEarlierVersion() {
    service.promote(patch("task-a", "mnist", service.deployed(MODEL), 0.4));

    AliasChange change = service.rollback(MODEL, 1, "mnist regressed on fashion");

    assertThat(change.version()).isEqualTo(1);
    assertThat(change.previousVersion()).isEqualTo(2);
    assertThat(change.reason()).isEqualTo(AliasChange.REASON_ROLLBACK);
    assertThat(change.note()).isEqualTo("mnist regressed on fashion");
    assertThat(service.deployed(MODEL).version()).isEqualTo(1);
    assertThat(history()).extracting(AliasChange::version).containsExactly(1, 2, 1);
    ModelPromoted announced = events.promoted().get(2).event();
    assertThat(announced.reason()).isEqualTo("rollback");
    assertThat(announced.version()).isEqualTo(1);
    assertThat(events.promoted().get(2).eventId()).isEqualTo("digits:deployed:3");
  }

  @Test
  void rollbackToDeployedVersionConflicts() {
    assertThatThrownBy(() -> service.rollback(MODEL, 1, null))
        .isInstanceOf(AliasConflictException.class)
        .hasMessageContaining("version 1 is deployed and a rollback must name an earlier version");
  }

  @Test
  void rollbackToUnknownVersionNotFound() {
    assertThatThrownBy(() -> service.rollback(MODEL, 7, null))
        .isInstanceOf(RegistryNotFoundException.class)
        .hasMessageContaining("Model 'digits' has no version 7");
  }

  @Test
  void deployedNamesRootEncoder() {
    service.promote(patch("task-a", "mnist", service.deployed(MODEL), 0.4));

    DeployedModel deployed = service.deployed(MODEL);

    assertThat(deployed.version()).isEqualTo(2);
    assertThat(deployed.rootVersion()).isEqualTo(1);
    assertThat(deployed.rootEncoder()).isEqualTo(rootEncoder);
  }

  @Test
  void deployedUnknownModelNotFound() {
    assertThatThrownBy(() -> service.deployed("letters"))
        .isInstanceOf(RegistryNotFoundException.class)
        .hasMessage("Model 'letters' has no deployed version: register one with POST /models/letters/versions");
  }

  @Test
  void gaugesFollowDeployedAlias() {
    service.promote(patch("task-a", "mnist", service.deployed(MODEL), 0.4));

    assertThat(gauge(RegistryMetrics.DEPLOYED_VERSION)).isEqualTo(2.0);
    assertThat(accuracyGauge("mnist")).isEqualTo(89.5);

    service.rollback(MODEL, 1, null);

    assertThat(gauge(RegistryMetrics.DEPLOYED_VERSION)).isEqualTo(1.0);
    assertThat(accuracyGauge("mnist")).isNaN();
  }

  private PromotionService newService() {
    RegistryMetrics metrics = new RegistryMetrics(meters);
    return new PromotionService(new ModelRegistry(storage, metrics), objectStore::get, events, metrics, clock);
  }

  private CheckpointRef store(String key, String sha256) {
    CheckpointRef ref = new CheckpointRef(key, sha256, 1024);
    objectStore.put(key, ref);
    return ref;
  }

  private RegisterModelVersion importRequest(CheckpointRef encoder, boolean promote) {
    Map<String, TaskAccuracy> accuracy = Map.of("fashion", new TaskAccuracy(91, 91, 91, 90, 90, 90));
    return new RegisterModelVersion(
        encoder, null, EncoderSpec.DEMO, List.of(TestEvents.head("fashion", fashionHead, TaskRole.SUPPORTED)),
        accuracy, promote);
  }

  /** Builds a consistent candidate of {@code taskId} on {@code base} and puts its checkpoints in the fake store. */
  private CandidateSelected patch(String taskId, String task, DeployedModel base, double alpha) {
    CheckpointRef candidate = store("tasks/digits/" + taskId + "/candidates/alpha.safetensors", "c-" + taskId);
    CheckpointRef head = store("models/digits/heads/" + task + ".safetensors", "h-" + task);
    return TestEvents.candidateSelected(taskId, task, base, candidate, head, alpha, SUBMITTED);
  }

  private List<ModelVersion> versions() {
    return new ModelRegistry(storage, new RegistryMetrics(new SimpleMeterRegistry())).versions(MODEL);
  }

  private List<AliasChange> history() {
    return storage.loadHistory(MODEL);
  }

  private double promotions(String outcome) {
    return meters.get(RegistryMetrics.PROMOTIONS).tag("model", MODEL).tag("outcome", outcome).counter().count();
  }

  private double gauge(String name) {
    return meters.get(name).tag("model", MODEL).gauge().value();
  }

  private double accuracyGauge(String task) {
    return meters.get(RegistryMetrics.TASK_ACCURACY).tag("model", MODEL).tag("task", task).tag("split", "test")
        .gauge().value();
  }
}
