package dev.paint.evaluator.selection;

import dev.paint.shared.event.SelectionRule;

/** A rule that picks one candidate from validation accuracies. */
public interface AlphaSelector {

  /** Accuracy differences below this count as ties, which go to the smaller alpha. */
  double TIE_EPSILON = 1e-9;

  SelectionRule rule();

  /** Returns the index of the chosen candidate in {@link ValidationCurves#alphas()}. */
  int select(ValidationCurves curves, double tolerancePoints);

  /**
   * Returns the accuracy that the rule maximises at candidate {@code index}, ignoring any constraint. A search uses it
   * to decide which unexplored side of the best candidate looks more promising.
   */
  double objective(ValidationCurves curves, int index);

  static AlphaSelector forRule(SelectionRule rule) {
    return switch (rule) {
      case MEAN_ACCURACY -> new MeanAccuracySelector();
      case CONSTRAINED -> new ConstrainedSelector();
    };
  }
}
