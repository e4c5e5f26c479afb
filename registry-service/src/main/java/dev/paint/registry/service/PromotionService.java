package dev.paint.registry.service;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.Lineage;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.TaskHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Creates model versions and moves the {@code deployed} alias: imports of existing checkpoints, promotions of selected
 * candidates and rollbacks. Every change of one model runs under that model's lock in {@link ModelRegistry}.
 */
@ApplicationScoped
public class PromotionService {

  /** The {@code stage} of the {@link PatchTaskFailed} events this service sends. */
  public static final String STAGE = "promotion";

  private static final Logger LOG = Logger.getLogger(PromotionService.class);

  private final ModelRegistry registry;
  private final CheckpointVerifier checkpoints;
  private final PromotionEvents events;
  private final RegistryMetrics metrics;
  private final Clock clock;

  @Inject
  public PromotionService(
      ModelRegistry registry, CheckpointLookup checkpoints, PromotionEvents events, RegistryMetrics metrics,
      Clock clock) {
    this.registry = registry;
    this.checkpoints = new CheckpointVerifier(checkpoints);
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Registers an encoder checkpoint that is already in the object store as the model's next version. Deploys it when
   * the request's {@code promote} is true or null, or when the model has no deployed version yet.
   *
   * @throws InvalidRegistrationException when a field is missing or a checkpoint is missing or has another SHA-256
   */
  public ModelVersion registerImported(String modelName, RegisterModelVersion request) {
    EventValidation.requireId(modelName, "model name");
    ImportRequestCheck.CheckedImport checked = ImportRequestCheck.check(modelName, request, checkpoints);

    return registry.update(modelName, records -> {
      int number = records.nextVersion();
      ModelVersion version = new ModelVersion(
          modelName, number, checked.encoder(), request.architecture(), checked.tasks(), null, request.accuracy(),
          number, ModelVersion.SOURCE_IMPORT, now());
      records.addVersion(version);
      LOG.infof(
          "Registered imported version %d of model '%s' with encoder %s", number, modelName, checked.encoder().key());

      if (request.promoteOrDefault() || records.deployed().isEmpty()) {
        AliasChange change = records.moveDeployed(number, AliasChange.REASON_IMPORT, null, null, version.createdAt());
        announceAliasMove(records, version, change);
      }
      return version;
    });
  }

  /**
   * Promotes the selected candidate if the version it was built on is still the deployed one (compare-and-set under
   * the model's lock). A task that already promoted a version is a duplicate and changes nothing. A stale or
   * inconsistent candidate is rejected with a {@link PatchTaskFailed} event.
   *
   * @throws RuntimeException when the object store or the broker fails. The new version is then either not deployed
   *     or deployed without its {@link ModelPromoted} event.
   */
  public PromotionOutcome promote(CandidateSelected event) {
    String modelName = event.base().modelName();
    PromotionOutcome outcome;
    try {
      outcome = registry.update(modelName, records -> promoteLocked(records, event));
    } catch (RuntimeException e) {
      metrics.promotion(modelName, PromotionOutcome.Status.FAILED);
      throw e;
    }

    metrics.promotion(modelName, outcome.status());
    return outcome;
  }

  /**
   * Points the {@code deployed} alias at an earlier stored version and announces it with reason "rollback".
   *
   * @param note free text recorded in the alias history, may be null
   * @throws RegistryNotFoundException when the model has no deployed version or no version {@code version}
   * @throws AliasConflictException when {@code version} is not older than the deployed version
   */
  public AliasChange rollback(String modelName, int version, String note) {
    EventValidation.requireId(modelName, "model name");

    return registry.update(modelName, records -> {
      ModelVersion current = records.deployed().orElseThrow(() -> notDeployed(modelName));
      ModelVersion target = records.version(version).orElseThrow(() -> new RegistryNotFoundException(
          "Model '" + modelName + "' has no version " + version + ": GET /models/" + modelName
              + "/versions lists the stored versions"));
      if (target.version() >= current.version()) {
        throw new AliasConflictException(
            "Cannot roll back model '" + modelName + "' to version " + version + ": version " + current.version()
                + " is deployed and a rollback must name an earlier version");
      }

      AliasChange change = records.moveDeployed(version, AliasChange.REASON_ROLLBACK, null, note, now());
      LOG.infof("Rolled back model '%s' from version %d to version %d", modelName, current.version(), version);
      announceAliasMove(records, target, change);
      return change;
    });
  }

  /**
   * Points the {@code deployed} alias at a newer stored version, such as one registered with {@code promote: false},
   * if the deployed version is still {@code expectedDeployedVersion} (compare-and-set under the model's lock). It
   * announces the move with reason "manual".
   *
   * @param note free text recorded in the alias history, may be null
   * @throws RegistryNotFoundException when the model has no deployed version or no version {@code version}
   * @throws AliasConflictException when another version than {@code expectedDeployedVersion} is deployed, or when
   *     {@code version} is not newer than the deployed version
   */
  public AliasChange promoteManually(String modelName, int version, int expectedDeployedVersion, String note) {
    EventValidation.requireId(modelName, "model name");

    return registry.update(modelName, records -> {
      ModelVersion current = records.deployed().orElseThrow(() -> notDeployed(modelName));
      if (current.version() != expectedDeployedVersion) {
        throw new AliasConflictException(
            "Cannot promote version " + version + " of model '" + modelName + "': version " + current.version()
                + " is deployed, not the expected version " + expectedDeployedVersion + "; read GET /models/"
                + modelName + "/deployed and retry with that version");
      }
      ModelVersion target = records.version(version).orElseThrow(() -> new RegistryNotFoundException(
          "Model '" + modelName + "' has no version " + version + ": GET /models/" + modelName
              + "/versions lists the stored versions"));
      if (target.version() <= current.version()) {
        throw new AliasConflictException(
            "Cannot promote model '" + modelName + "' to version " + version + ": version " + current.version()
                + " is deployed and a promotion must name a newer version; use POST /models/" + modelName
                + "/rollback for an earlier one");
      }

      AliasChange change = records.moveDeployed(version, AliasChange.REASON_MANUAL, null, note, now());
      LOG.infof("Promoted model '%s' from version %d to version %d on request", modelName, current.version(), version);
      announceAliasMove(records, target, change);
      return change;
    });
  }

  /**
   * Describes the deployed version as the trainer needs it to start a patch task.
   *
   * @throws RegistryNotFoundException when the model has no deployed version
   */
  public DeployedModel deployed(String modelName) {
    EventValidation.requireId(modelName, "model name");

    DeployedModel deployed = registry.read(modelName, PromotionService::describeDeployed, null);
    if (deployed == null) {
      throw notDeployed(modelName);
    }
    return deployed;
  }

  /** Returns the version that patch task {@code taskId} deployed, if it was promoted. */
  public Optional<ModelVersion> versionOfTask(String modelName, String taskId) {
    return registry.read(modelName, records -> records.findPromoted(taskId), Optional.empty());
  }

  private PromotionOutcome promoteLocked(ModelRecords records, CandidateSelected event) {
    String taskId = event.task().taskId();
    Optional<ModelVersion> existing = records.findPromoted(taskId);
    if (existing.isPresent()) {
      LOG.infof(
          "Ignoring duplicate candidate of task %s: it already promoted version %d of model '%s'", taskId,
          existing.get().version(), records.modelName());
      announceUnlessAnnounced(records, existing.get(), taskId);
      return PromotionOutcome.duplicate(existing.get());
    }

    Optional<String> inconsistency = PatchConsistency.problem(records, event);
    if (inconsistency.isPresent()) {
      return reject(event, PromotionOutcome.Status.FAILED, inconsistency.get());
    }

    ModelVersion deployed = records.deployed().orElse(null);
    if (deployed == null || deployed.version() != event.base().version()) {
      String reason = "Candidate of task " + taskId + " was built on version " + event.base().version()
          + " but " + (deployed == null ? "no version" : "version " + deployed.version()) + " of model '"
          + records.modelName() + "' is deployed; resubmit the task to patch the deployed model";
      return reject(event, PromotionOutcome.Status.REJECTED_STALE, reason);
    }

    Optional<String> missingCheckpoint = checkpointProblem(event);
    if (missingCheckpoint.isPresent()) {
      return reject(event, PromotionOutcome.Status.FAILED, missingCheckpoint.get());
    }

    return promoteOnto(records, deployed, event);
  }

  private PromotionOutcome promoteOnto(ModelRecords records, ModelVersion base, CandidateSelected event) {
    String taskId = event.task().taskId();
    ModelVersion created = patchedVersion(records.nextVersion(), base, event);

    records.addVersion(created);
    AliasChange change =
        records.moveDeployed(created.version(), AliasChange.REASON_PATCH, taskId, null, created.createdAt());

    // Sent while the lock is held, so ModelPromoted events leave in the order of the alias history. If the send or
    // the marker write fails, the redelivered candidate is a duplicate and announceUnlessAnnounced sends it then.
    events.modelPromoted(promotedEvent(created, change), taskId + ":" + STAGE);
    records.markAnnounced(taskId);
    if (event.task().submittedAt() != null) {
      metrics.pipelineLatency(base.modelName(), Duration.between(event.task().submittedAt(), change.changedAt()));
    }
    LOG.infof(
        "Promoted version %d of model '%s' from task %s (task '%s', alpha %.2f, base version %d)", created.version(),
        base.modelName(), taskId, event.task().task(), event.chosen().alpha(), base.version());
    return PromotionOutcome.promoted(created);
  }

  /**
   * Sends the ModelPromoted event of an earlier promotion by {@code taskId} unless the broker acknowledged it before.
   * A registry killed between the alias move and the send would otherwise never announce that promotion.
   *
   * <p>NOTE: a registry killed after the broker acknowledged the event but before the marker was written sends the
   * event a second time, with the same CloudEvents id, so subscribers that must see it once deduplicate by id.
   */
  private void announceUnlessAnnounced(ModelRecords records, ModelVersion version, String taskId) {
    if (records.isAnnounced(taskId)) {
      return;
    }

    AliasChange change = records.promotionOf(taskId).orElseThrow();
    LOG.warnf(
        "Version %d of model '%s' was promoted by task %s but its ModelPromoted event was not confirmed; sending it"
            + " now", version.version(), records.modelName(), taskId);
    events.modelPromoted(promotedEvent(version, change), taskId + ":" + STAGE);
    records.markAnnounced(taskId);
  }

  private ModelVersion patchedVersion(int number, ModelVersion base, CandidateSelected event) {
    List<TaskHead> tasks = new ArrayList<>();
    boolean replaced = false;
    for (TaskHead head : base.tasks()) {
      boolean sameTask = head.task().equals(event.patchHead().task());
      tasks.add(sameTask ? event.patchHead() : head);
      replaced |= sameTask;
    }
    if (!replaced) {
      tasks.add(event.patchHead());
    }

    Lineage lineage = new Lineage(
        base.version(), event.task().taskId(), event.task().task(), event.chosen().alpha(), event.fineTuned(),
        event.rule(), event.tolerancePoints(), event.alphas(), event.validationCurves());
    return new ModelVersion(
        base.modelName(), number, event.chosen().checkpoint(), base.architecture(), tasks, lineage, event.accuracy(),
        base.rootVersion(), ModelVersion.SOURCE_PATCH, now());
  }

  private Optional<String> checkpointProblem(CandidateSelected event) {
    String candidate = String.format("Chosen candidate (alpha %.2f) of task %s", event.chosen().alpha(),
        event.task().taskId());
    Optional<String> encoderProblem = checkpoints.problem(event.chosen().checkpoint(), candidate);
    if (encoderProblem.isPresent()) {
      return encoderProblem;
    }
    return checkpoints.problem(event.patchHead().head(), "Head of patch task '" + event.patchHead().task() + "'");
  }

  private PromotionOutcome reject(CandidateSelected event, PromotionOutcome.Status status, String reason) {
    String taskId = event.task().taskId();
    LOG.errorf("Patch task %s of model '%s' failed at promotion: %s", taskId, event.base().modelName(), reason);

    events.patchTaskFailed(
        new PatchTaskFailed(taskId, event.base().modelName(), STAGE, reason, now()), taskId + ":" + STAGE);
    return PromotionOutcome.rejected(status, reason);
  }

  /**
   * Sends ModelPromoted for an import, a manual promotion or a rollback. The alias move is durable already, so a failed
   * send is logged.
   */
  private void announceAliasMove(ModelRecords records, ModelVersion version, AliasChange change) {
    String eventId = records.modelName() + ":" + AliasChange.DEPLOYED + ":" + records.historySize();
    try {
      events.modelPromoted(promotedEvent(version, change), eventId);
    } catch (RuntimeException e) {
      LOG.errorf(
          e, "Model '%s' now deploys version %d (%s), but its ModelPromoted event %s was not sent", records.modelName(),
          version.version(), change.reason(), eventId);
    }
  }

  private static ModelPromoted promotedEvent(ModelVersion version, AliasChange change) {
    Double alpha = version.lineage() == null ? null : version.lineage().alpha();
    return new ModelPromoted(
        version.modelName(), version.version(), change.previousVersion(), change.taskId(), alpha, version.encoder(),
        version.tasks(), version.accuracy(), change.reason(), change.changedAt());
  }

  private static DeployedModel describeDeployed(ModelRecords records) {
    Optional<ModelVersion> deployed = records.deployed();
    if (deployed.isEmpty()) {
      return null;
    }

    ModelVersion version = deployed.get();
    ModelVersion root = records.version(version.rootVersion()).orElseThrow(() -> new IllegalStateException(
        "Model '" + version.modelName() + "' version " + version.version() + " names root version "
            + version.rootVersion() + ", which is not stored"));
    return new DeployedModel(
        version.modelName(), version.version(), version.encoder(), version.architecture(), version.tasks(),
        root.version(), root.encoder());
  }

  private static RegistryNotFoundException notDeployed(String modelName) {
    return new RegistryNotFoundException(
        "Model '" + modelName + "' has no deployed version: register one with POST /models/" + modelName
            + "/versions");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
