package dev.paint.evaluator.selection;

import dev.paint.shared.event.SelectionRule;

/**
 * The PAINT paper's rule: the candidate with the highest mean validation accuracy over every task seen so far,
 * supported and patch tasks alike. Ties go to the smaller alpha, which stays closer to the deployed model.
 */
public final class MeanAccuracySelector implements AlphaSelector {

  @Override
  public SelectionRule rule() {
    return SelectionRule.MEAN_ACCURACY;
  }

  @Override
  public double objective(ValidationCurves curves, int index) {
    return curves.meanAccuracy(index, null);
  }

  @Override
  public int select(ValidationCurves curves, double tolerancePoints) {
    int best = 0;
    for (int i = 1; i < curves.alphas().size(); i++) {
      if (curves.meanAccuracy(i, null) > curves.meanAccuracy(best, null) + TIE_EPSILON) {
        best = i;
      }
    }
    return best;
  }
}
