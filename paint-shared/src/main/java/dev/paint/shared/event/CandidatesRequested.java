package dev.paint.shared.event;

import java.util.List;

/**
 * The evaluator's search needs more candidates of a patch task. The payload of {@link Topics#CANDIDATES_REQUESTED}.
 *
 * @param grid the task's whole alpha grid, sorted, which contains every requested alpha
 * @param round the search round these candidates belong to, 2 or more (the interpolator writes round 1 unasked)
 * @param alphas the alphas to write, none of them evaluated in an earlier round
 */
public record CandidatesRequested(
    PatchTaskSubmitted task,
    DeployedModel base,
    TaskHead patchHead,
    CheckpointRef fineTuned,
    TrainingSummary training,
    List<Double> grid,
    int round,
    List<Double> alphas) {

  public CandidatesRequested {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(fineTuned, "fineTuned");
    EventValidation.requireNonEmpty(grid, "grid");
    EventValidation.requireNonEmpty(alphas, "alphas");
    if (round < 2) {
      throw new InvalidEventException("Invalid round " + round + ": requested candidates start at round 2");
    }
    for (Double alpha : alphas) {
      Selection.requireAlpha(alpha, "alphas");
      if (!grid.contains(alpha)) {
        throw new InvalidEventException("Invalid requested alpha " + alpha + ": request only alphas of the grid " + grid);
      }
    }
    grid = List.copyOf(grid);
    alphas = List.copyOf(alphas);
  }
}
