package dev.paint.shared.event;

import java.util.List;

/** Candidates for every alpha of the grid are stored. The payload of {@link Topics#CANDIDATES_INTERPOLATED}. */
public record CandidatesInterpolated(
    PatchTaskSubmitted task,
    DeployedModel base,
    TaskHead patchHead,
    CheckpointRef fineTuned,
    TrainingSummary training,
    String mergeMethod,
    List<Candidate> candidates) {

  public CandidatesInterpolated {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(fineTuned, "fineTuned");
    EventValidation.requireNonEmpty(candidates, "candidates");
    candidates = List.copyOf(candidates);
  }
}
