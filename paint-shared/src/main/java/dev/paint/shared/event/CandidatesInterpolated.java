package dev.paint.shared.event;

import java.util.List;

/**
 * Candidates of one search round are stored: every alpha of the grid, or the alphas of one round of a coarse-to-fine
 * search. The payload of {@link Topics#CANDIDATES_INTERPOLATED}.
 *
 * @param candidates the candidates written in this round, not those of earlier rounds
 * @param search the alpha search, {@code grid} when missing (as in events from before the field existed)
 * @param grid the task's whole alpha grid, sorted, or the candidates' alphas when missing
 * @param round the search round, from 1, and 1 when missing
 */
public record CandidatesInterpolated(
    PatchTaskSubmitted task,
    DeployedModel base,
    TaskHead patchHead,
    CheckpointRef fineTuned,
    TrainingSummary training,
    String mergeMethod,
    List<Candidate> candidates,
    AlphaSearch search,
    List<Double> grid,
    Integer round) {

  public CandidatesInterpolated {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(fineTuned, "fineTuned");
    EventValidation.requireNonEmpty(candidates, "candidates");
    candidates = List.copyOf(candidates);
    search = search == null ? AlphaSearch.GRID : search;
    grid = grid == null ? candidates.stream().map(Candidate::alpha).sorted().toList() : List.copyOf(grid);
    round = round == null ? 1 : round;
    if (round < 1) {
      throw new InvalidEventException("Invalid round " + round + ": rounds start at 1");
    }
  }

  /** Candidates of the whole grid, written in one round. */
  public CandidatesInterpolated(
      PatchTaskSubmitted task,
      DeployedModel base,
      TaskHead patchHead,
      CheckpointRef fineTuned,
      TrainingSummary training,
      String mergeMethod,
      List<Candidate> candidates) {
    this(task, base, patchHead, fineTuned, training, mergeMethod, candidates, null, null, null);
  }
}
