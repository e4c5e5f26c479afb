package dev.paint.shared.event;

import java.util.List;
import java.util.Map;

/**
 * The evaluator chose a candidate on validation data. The payload of {@link Topics#CANDIDATE_SELECTED}.
 *
 * @param alphas the evaluated alphas, in ascending order
 * @param validationCurves per task, the validation accuracy (percent) at each of {@code alphas}
 * @param accuracy per task, base, fine-tuned and chosen accuracy on validation and test
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
    Map<String, TaskAccuracy> accuracy) {

  public CandidateSelected {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(chosen, "chosen");
    EventValidation.requireNonNull(rule, "rule");
  }
}
