package dev.paint.evaluator.selection;

import dev.paint.shared.event.TaskRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Validation accuracy (percent) of every candidate on every task seen so far, the only input alpha selection gets: test
 * accuracies never reach a selector.
 *
 * @param alphas the candidates' alphas in ascending order
 * @param accuracy per task, one accuracy per alpha
 * @param roles per task, whether it is a supported task or a patch task
 * @param referenceAccuracy per supported task, the validation accuracy of the lineage's first version
 */
public record ValidationCurves(
    List<Double> alphas,
    Map<String, double[]> accuracy,
    Map<String, TaskRole> roles,
    Map<String, Double> referenceAccuracy) {

  public ValidationCurves {
    for (Map.Entry<String, double[]> curve : accuracy.entrySet()) {
      if (curve.getValue().length != alphas.size()) {
        throw new IllegalArgumentException("Validation curve of task " + curve.getKey() + " has "
            + curve.getValue().length + " points for " + alphas.size() + " alphas");
      }
    }
  }

  /**
   * Builds curves from measured points: per alpha, the validation accuracy of each task. Every point must name the same
   * tasks.
   */
  public static ValidationCurves of(
      SortedMap<Double, Map<String, Double>> points, Map<String, TaskRole> roles, Map<String, Double> referenceAccuracy) {
    List<Double> alphas = List.copyOf(points.keySet());
    Map<String, double[]> accuracy = new LinkedHashMap<>();
    roles.keySet().forEach(task -> accuracy.put(task, new double[alphas.size()]));
    for (int i = 0; i < alphas.size(); i++) {
      Map<String, Double> point = points.get(alphas.get(i));
      for (Map.Entry<String, double[]> curve : accuracy.entrySet()) {
        Double value = point.get(curve.getKey());
        if (value == null) {
          throw new IllegalArgumentException(
              "No validation accuracy of task " + curve.getKey() + " at alpha " + alphas.get(i));
        }
        curve.getValue()[i] = value;
      }
    }
    return new ValidationCurves(alphas, accuracy, roles, referenceAccuracy);
  }

  /** Mean accuracy at candidate {@code index} over the tasks with {@code role}, or over all tasks when null. */
  public double meanAccuracy(int index, TaskRole role) {
    double sum = 0;
    int count = 0;
    for (Map.Entry<String, double[]> curve : accuracy.entrySet()) {
      if (role == null || roles.get(curve.getKey()) == role) {
        sum += curve.getValue()[index];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
