package dev.paint.shared.event;

import java.util.List;

/**
 * Per-task overrides of the evaluator's alpha search. Missing fields take the evaluator's configured defaults.
 *
 * @param rule the selection rule
 * @param tolerancePoints for the constrained rule: how many accuracy points (0 to 100 scale) a supported task may lose
 * @param alphas the alpha grid; every value in [0, 1]
 * @param search how much of the grid is written and evaluated
 */
public record Selection(SelectionRule rule, Double tolerancePoints, List<Double> alphas, AlphaSearch search) {

  public Selection {
    if (tolerancePoints != null && !(tolerancePoints >= 0)) {
      throw new InvalidEventException("Invalid selection.tolerancePoints " + tolerancePoints + ": it must be >= 0");
    }
    if (alphas != null) {
      for (Double alpha : alphas) {
        requireAlpha(alpha, "selection.alphas");
      }
      alphas = List.copyOf(alphas);
    }
  }

  /** Overrides without an alpha search, which then takes the interpolator's configured one. */
  public Selection(SelectionRule rule, Double tolerancePoints, List<Double> alphas) {
    this(rule, tolerancePoints, alphas, null);
  }

  public static Selection none() {
    return new Selection(null, null, null, null);
  }

  /** Rejects an alpha outside [0, 1], NaN included, naming the field. */
  public static double requireAlpha(Double alpha, String field) {
    if (alpha == null || !(alpha >= 0.0 && alpha <= 1.0)) {
      throw new InvalidEventException("Invalid alpha " + alpha + " in " + field + ": alpha must be within [0, 1]");
    }
    return alpha;
  }
}
