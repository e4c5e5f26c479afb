package dev.paint.registry.service;

import dev.paint.registry.domain.ModelVersion;
import dev.paint.shared.event.CandidateSelected;
import java.util.Optional;

/** Checks that a selected candidate agrees with itself and with the registry's record of its base version. */
final class PatchConsistency {

  private PatchConsistency() {}

  /** Returns why the candidate cannot be promoted onto any version, or empty when it is consistent. */
  static Optional<String> problem(ModelRecords records, CandidateSelected event) {
    String taskId = event.task().taskId();
    String modelName = event.base().modelName();
    if (!event.task().modelName().equals(modelName)) {
      return Optional.of(
          "Candidate of task " + taskId + " names model '" + event.task().modelName() + "' in its task but model '"
              + modelName + "' as its base; resubmit the task");
    }
    if (!event.patchHead().task().equals(event.task().task())) {
      return Optional.of(
          "Candidate of task " + taskId + " carries the head of task '" + event.patchHead().task()
              + "' but patches task '" + event.task().task() + "'; resubmit the task");
    }
    if (records.isEmpty()) {
      return Optional.of(
          "Candidate of task " + taskId + " patches model '" + modelName + "', which has no versions in the"
              + " registry: register one with POST /models/" + modelName + "/versions, then resubmit the task");
    }

    int baseNumber = event.base().version();
    Optional<ModelVersion> base = records.version(baseNumber);
    if (base.isEmpty()) {
      return Optional.of(
          "Candidate of task " + taskId + " was built on version " + baseNumber + " of model '" + modelName
              + "', which the registry does not have; resubmit the task");
    }
    String registeredSha = base.get().encoder().sha256();
    if (!registeredSha.equals(event.base().encoder().sha256())) {
      return Optional.of(
          "Candidate of task " + taskId + " was built on version " + baseNumber + " of model '" + modelName
              + "' with encoder SHA-256 " + event.base().encoder().sha256() + ", but the registry's version "
              + baseNumber + " has encoder SHA-256 " + registeredSha + "; resubmit the task");
    }
    return Optional.empty();
  }
}
