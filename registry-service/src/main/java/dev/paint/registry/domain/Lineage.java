package dev.paint.registry.domain;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.SelectionRule;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a patched model version was made: the version it was built on, the patch task, the fine-tuned encoder and the
 * alpha chosen on validation data.
 *
 * @param baseVersion the version the patch task fine-tuned and interpolated against
 * @param fineTuned the fine-tuned encoder (alpha 1), or null when the evaluator did not report it
 * @param tolerancePoints accuracy points (0 to 100 scale) a supported task was allowed to lose under the constrained rule
 * @param alphas the evaluated alphas, in ascending order
 * @param validationCurves per task, the validation accuracy (percent) at each of {@code alphas}
 */
public record Lineage(
    int baseVersion,
    String taskId,
    String task,
    double alpha,
    CheckpointRef fineTuned,
    SelectionRule rule,
    double tolerancePoints,
    List<Double> alphas,
    Map<String, List<Double>> validationCurves) {

  public Lineage {
    if (baseVersion < 1) {
      throw new IllegalArgumentException("Invalid lineage baseVersion " + baseVersion + ": versions start at 1");
    }
    EventValidation.requireText(taskId, "lineage.taskId");
    EventValidation.requireText(task, "lineage.task");
    alphas = alphas == null ? List.of() : List.copyOf(alphas);
    validationCurves = validationCurves == null
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(validationCurves));
  }
}
