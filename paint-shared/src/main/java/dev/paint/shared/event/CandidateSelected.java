package dev.paint.shared.event;

import java.util.List;
import java.util.Map;

/**
 * The evaluator chose a candidate on validation data. The payload of {@link Topics#CANDIDATE_SELECTED}.
 *
 * @param alphas the evaluated alphas, in ascending order: the whole grid, or the alphas a coarse-to-fine search
 *     evaluated
 * @param validationCurves per task, the validation accuracy (percent) at each of {@code alphas}
 * @param accuracy per task, base, fine-tuned and chosen accuracy on validation and test
 * @param search the alpha search, {@code grid} when missing
 * @param evaluations how many candidates were evaluated on the validation splits, the size of {@code alphas} when
 *     missing
 */
public record CandidateSelected(
    PatchTaskSubmitted task,
    DeployedModel base,
    TaskHead patchHead,
    CheckpointRef fineTuned,
    TrainingSummary training,
    Candidate chosen,
    SelectionRule rule,
    double tolerancePoints,
    List<Double> alphas,
    Map<String, List<Double>> validationCurves,
    Map<String, TaskAccuracy> accuracy,
    AlphaSearch search,
    Integer evaluations) {

  public CandidateSelected {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(chosen, "chosen");
    EventValidation.requireNonNull(rule, "rule");
    search = search == null ? AlphaSearch.GRID : search;
    evaluations = evaluations == null && alphas != null ? Integer.valueOf(alphas.size()) : evaluations;
  }

  /** A choice over the whole grid, every alpha evaluated. */
  public CandidateSelected(
      PatchTaskSubmitted task,
      DeployedModel base,
      TaskHead patchHead,
      CheckpointRef fineTuned,
      TrainingSummary training,
      Candidate chosen,
      SelectionRule rule,
      double tolerancePoints,
      List<Double> alphas,
      Map<String, List<Double>> validationCurves,
      Map<String, TaskAccuracy> accuracy) {
    this(task, base, patchHead, fineTuned, training, chosen, rule, tolerancePoints, alphas, validationCurves, accuracy,
        null, null);
  }
}
