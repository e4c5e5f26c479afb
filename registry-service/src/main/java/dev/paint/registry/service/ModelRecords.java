package dev.paint.registry.service;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.storage.VersionStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The in-memory copy of one model's records, written through to {@link VersionStorage}. Not thread-safe: only
 * {@link ModelRegistry} hands it out, under the model's lock. Memory changes only after the storage write succeeded, so
 * a failed write leaves both as they were before the call.
 */
final class ModelRecords {

  private static final Logger LOG = Logger.getLogger(ModelRecords.class);

  private final String modelName;
  private final VersionStorage storage;
  private final RegistryMetrics metrics;
  private final List<ModelVersion> versions;
  private final List<AliasChange> history;
  private AliasChange deployedPointer;

  private ModelRecords(
      String modelName, VersionStorage storage, RegistryMetrics metrics, List<ModelVersion> versions,
      List<AliasChange> history, AliasChange deployedPointer) {
    this.modelName = modelName;
    this.storage = storage;
    this.metrics = metrics;
    this.versions = new ArrayList<>(versions);
    this.history = new ArrayList<>(history);
    this.deployedPointer = deployedPointer;
  }

  /** Reads the model's versions, alias pointer and history from storage. */
  static ModelRecords load(String modelName, VersionStorage storage, RegistryMetrics metrics) {
    List<ModelVersion> versions = storage.loadVersions(modelName);
    List<AliasChange> history = storage.loadHistory(modelName);
    AliasChange pointer = storage.loadDeployed(modelName).orElse(null);
    ModelRecords records = new ModelRecords(modelName, storage, metrics, versions, history, pointer);
    records.dropHistoryAfterPointer();

    if (pointer != null && records.version(pointer.version()).isEmpty()) {
      // The write order (version before alias) rules this out unless someone edited the bucket by hand.
      LOG.errorf(
          "Model '%s': the deployed alias points at version %d, which is not stored; treating the model as not"
              + " deployed. Roll back to a stored version to repair it",
          modelName, pointer.version());
      records.deployedPointer = null;
    }
    records.deployed().ifPresent(metrics::deployedChanged);
    if (!versions.isEmpty()) {
      LOG.infof(
          "Loaded model '%s': %d versions, deployed version %s", modelName, versions.size(),
          records.deployedPointer == null ? "none" : records.deployedPointer.version());
    }
    return records;
  }

  /**
   * Forgets history entries written after the alias pointer's change: a crash between the history write and the
   * pointer write leaves one, and the pointer is the truth. The next alias move overwrites its object.
   */
  private void dropHistoryAfterPointer() {
    while (!history.isEmpty() && !history.get(history.size() - 1).equals(deployedPointer)) {
      AliasChange orphan = history.remove(history.size() - 1);
      LOG.warnf(
          "Model '%s': alias history entry %d (version %d, %s) was written but the alias pointer was not moved;"
              + " ignoring it", modelName, history.size() + 1, orphan.version(), orphan.reason());
    }
  }

  String modelName() {
    return modelName;
  }

  boolean isEmpty() {
    return versions.isEmpty();
  }

  List<ModelVersion> versions() {
    return List.copyOf(versions);
  }

  List<AliasChange> history() {
    return List.copyOf(history);
  }

  int historySize() {
    return history.size();
  }

  Optional<ModelVersion> version(int number) {
    return versions.stream().filter(version -> version.version() == number).findFirst();
  }

  Optional<ModelVersion> deployed() {
    return deployedPointer == null ? Optional.empty() : version(deployedPointer.version());
  }

  /**
   * Returns the version that patch task {@code taskId} deployed, if any. A version the task stored but never deployed
   * (a failed write) does not count, so that a retry of the task can still promote.
   */
  Optional<ModelVersion> findPromoted(String taskId) {
    return promotionOf(taskId).flatMap(change -> version(change.version()));
  }

  /** Returns the alias change by which patch task {@code taskId} deployed its version, if any. */
  Optional<AliasChange> promotionOf(String taskId) {
    return history.stream()
        .filter(change -> AliasChange.REASON_PATCH.equals(change.reason()) && taskId.equals(change.taskId()))
        .findFirst();
  }

  boolean isAnnounced(String taskId) {
    return storage.isAnnounced(modelName, taskId);
  }

  void markAnnounced(String taskId) {
    storage.markAnnounced(modelName, taskId);
  }

  int nextVersion() {
    return versions.stream().mapToInt(ModelVersion::version).max().orElse(0) + 1;
  }

  /** Stores a new version; it must carry {@link #nextVersion()}. */
  void addVersion(ModelVersion version) {
    if (version.version() != nextVersion() || !version.modelName().equals(modelName)) {
      throw new IllegalArgumentException(
          "Cannot add version " + version.version() + " of model '" + version.modelName() + "' to model '" + modelName
              + "': the next version is " + nextVersion());
    }

    storage.saveVersion(version);
    versions.add(version);
  }

  /** Points the {@code deployed} alias at a stored version: history entry first, then the pointer. */
  AliasChange moveDeployed(int number, String reason, String taskId, String note, Instant changedAt) {
    ModelVersion target = version(number).orElseThrow(
        () -> new IllegalArgumentException(
            "Cannot deploy version " + number + " of model '" + modelName + "': it is not stored"));
    Integer previous = deployedPointer == null ? null : deployedPointer.version();
    AliasChange change = new AliasChange(AliasChange.DEPLOYED, number, previous, reason, taskId, note, changedAt);

    storage.appendHistory(modelName, history.size() + 1, change);
    storage.saveDeployed(modelName, change);

    history.add(change);
    deployedPointer = change;
    metrics.deployedChanged(target);
    return change;
  }
}
