package dev.paint.evaluator.selection;

import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskRole;
import java.util.Map;

/**
 * Best mean validation accuracy on the patch tasks among the candidates that keep every supported task within
 * {@code tolerancePoints} of the lineage's first version. When no candidate qualifies it falls back to the smallest
 * alpha, the one closest to the deployed model. Ties go to the smaller alpha.
 */
public final class ConstrainedSelector implements AlphaSelector {

  @Override
  public SelectionRule rule() {
    return SelectionRule.CONSTRAINED;
  }

  @Override
  public double objective(ValidationCurves curves, int index) {
    return curves.meanAccuracy(index, TaskRole.PATCH);
  }

  @Override
  public int select(ValidationCurves curves, double tolerancePoints) {
    int best = -1;
    for (int i = 0; i < curves.alphas().size(); i++) {
      if (!keepsSupportedTasks(curves, i, tolerancePoints)) {
        continue;
      }
      if (best < 0 || curves.meanAccuracy(i, TaskRole.PATCH) > curves.meanAccuracy(best, TaskRole.PATCH) + TIE_EPSILON) {
        best = i;
      }
    }
    return best < 0 ? 0 : best;
  }

  private static boolean keepsSupportedTasks(ValidationCurves curves, int index, double tolerancePoints) {
    for (Map.Entry<String, Double> reference : curves.referenceAccuracy().entrySet()) {
      double accuracy = curves.accuracy().get(reference.getKey())[index];
      if (accuracy < reference.getValue() - tolerancePoints - TIE_EPSILON) {
        return false;
      }
    }
    return true;
  }
}
