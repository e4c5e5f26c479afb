package dev.paint.evaluator.selection;

import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.TaskRole;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Coarse-to-fine search for the alpha that a selection rule would choose on the whole grid, evaluating at most half of
 * the grid's candidates. Round 1 evaluates the grid's first, middle and last alpha. Each later round evaluates one
 * alpha next to the best so far, at half the distance (rounded up) to its nearest evaluated neighbour. When both
 * neighbours are more than one grid step away, it moves toward the neighbour with the higher objective of the rule
 * (mean accuracy, or patch-task accuracy for the constrained rule), and toward the smaller alpha on a tie. The
 * search stops when both neighbours of the best are one grid step away or the evaluation budget is spent.
 *
 * <p>"Best" is always the rule's own choice among the evaluated alphas, with its ties and fallback, so the search
 * maximises exactly what the full grid's selection maximises. One alpha per round rather than both neighbours keeps
 * 11 grid points within 5 evaluations (3, then 1 and 1) while still halving the distance twice. On a unimodal curve
 * the result is then within one grid step of the full grid's choice; a noisy curve may end further away.
 */
public final class CoarseToFineSearch {

  private CoarseToFineSearch() {}

  /**
   * Returns the largest number of candidates a search over {@code gridSize} alphas evaluates: half the grid, rounded
   * down, or the first round where that is larger.
   */
  public static int maxEvaluations(int gridSize) {
    // NOTE: grids of fewer than 6 alphas save nothing, because the first round alone is 3 alphas (2 on a 2-point grid).
    return Math.max(gridSize / 2, Math.min(gridSize, 3));
  }

  /**
   * Returns the alphas to evaluate in the next round, or an empty list when the search is done.
   *
   * @param grid the whole alpha grid, sorted, without duplicates
   * @param evaluated the curves over the alphas evaluated so far, every one of them on the grid
   */
  public static List<Double> nextAlphas(
      List<Double> grid, ValidationCurves evaluated, AlphaSelector selector, double tolerancePoints) {
    if (evaluated.alphas().size() >= maxEvaluations(grid.size())) {
      return List.of();
    }

    int bestPosition = selector.select(evaluated, tolerancePoints);
    int best = gridIndex(grid, evaluated.alphas().get(bestPosition));
    int left = bestPosition > 0 ? gridIndex(grid, evaluated.alphas().get(bestPosition - 1)) : best;
    int right = bestPosition < evaluated.alphas().size() - 1
        ? gridIndex(grid, evaluated.alphas().get(bestPosition + 1)) : best;
    boolean leftOpen = best - left > 1;
    boolean rightOpen = right - best > 1;
    if (!leftOpen && !rightOpen) {
      return List.of();
    }

    boolean goLeft = leftOpen;
    if (leftOpen && rightOpen) {
      // The objective ignores the constrained rule's tolerance, because its best candidate sits at the tolerance edge,
      // on the side of the neighbour with the higher patch accuracy even when that neighbour breaks the tolerance.
      goLeft = selector.objective(evaluated, bestPosition - 1)
          >= selector.objective(evaluated, bestPosition + 1) - AlphaSelector.TIE_EPSILON;
    }
    int gap = goLeft ? best - left : right - best;
    int step = (gap + 1) / 2;
    return List.of(grid.get(goLeft ? best - step : best + step));
  }

  /**
   * Runs every round against {@code evaluate}, which returns the validation accuracy per task at one alpha. For tests
   * and for replays of recorded validation curves; the evaluator runs the rounds across events instead.
   */
  public static Result run(
      List<Double> grid, Function<Double, Map<String, Double>> evaluate, Map<String, TaskRole> roles,
      Map<String, Double> referenceAccuracy, AlphaSelector selector, double tolerancePoints) {
    SortedMap<Double, Map<String, Double>> points = new TreeMap<>();
    List<Double> round = AlphaSearch.COARSE_TO_FINE.firstRound(grid);
    int rounds = 0;
    ValidationCurves curves = null;
    while (!round.isEmpty()) {
      rounds++;
      for (Double alpha : round) {
        points.put(alpha, evaluate.apply(alpha));
      }
      curves = ValidationCurves.of(points, roles, referenceAccuracy);
      round = nextAlphas(grid, curves, selector, tolerancePoints);
    }
    return new Result(curves, selector.select(curves, tolerancePoints), rounds);
  }

  private static int gridIndex(List<Double> grid, double alpha) {
    int index = grid.indexOf(alpha);
    if (index < 0) {
      throw new IllegalArgumentException("Evaluated alpha " + alpha + " is not on the alpha grid " + grid);
    }
    return index;
  }

  /**
   * The outcome of a whole search.
   *
   * @param evaluated the curves over the evaluated alphas only
   * @param chosenIndex the rule's choice, an index into {@code evaluated.alphas()}
   * @param rounds how many rounds the search took
   */
  public record Result(ValidationCurves evaluated, int chosenIndex, int rounds) {

    public double chosenAlpha() {
      return evaluated.alphas().get(chosenIndex);
    }

    public int evaluations() {
      return evaluated.alphas().size();
    }
  }
}
