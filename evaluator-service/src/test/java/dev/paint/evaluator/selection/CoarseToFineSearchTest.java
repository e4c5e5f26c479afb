package dev.paint.evaluator.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.event.TaskRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class CoarseToFineSearchTest {

  private static final List<Double> GRID = grid(11);
  private static final AlphaSelector MEAN = new MeanAccuracySelector();
  private static final AlphaSelector CONSTRAINED = new ConstrainedSelector();

  /** A search over one patch task's curve, next to the full grid's choice on the same curve. */
  private record Comparison(CoarseToFineSearch.Result search, double gridAlpha, List<Double> requested) {}

  @Test
  void unimodalCurvesEndWithinOneStep() {
    for (double vertex = -0.05; vertex <= 1.05; vertex += 0.025) {
      for (double curvature : new double[] {5.0, 40.0, 300.0}) {
        double peak = vertex;
        Comparison result = compareOnPatchTask(GRID, i -> 90.0 - curvature * Math.pow(GRID.get(i) - peak, 2));

        assertThat(result.search().chosenAlpha())
            .as("vertex %.3f, curvature %.0f", vertex, curvature)
            .isCloseTo(result.gridAlpha(), org.assertj.core.data.Offset.offset(0.1 + 1e-9));
        assertThat(result.search().evaluations()).as("vertex %.3f", vertex).isLessThanOrEqualTo(5);
      }
    }
  }

  @Test
  void elevenPointGridUsesAtMostFiveEvaluations() {
    Comparison result = compareOnPatchTask(GRID, i -> 80.0 + 10.0 * Math.sin(i));

    assertThat(CoarseToFineSearch.maxEvaluations(11)).isEqualTo(5);
    assertThat(result.search().evaluations()).isLessThanOrEqualTo(5);
    assertThat(result.requested()).doesNotHaveDuplicates();
    assertThat(result.requested()).hasSize(result.search().evaluations());
  }

  @Test
  void evaluationsStayWithinHalfOfLargerGrids() {
    for (int size : new int[] {6, 11, 21, 51, 101}) {
      List<Double> grid = grid(size);

      Comparison result = compareOnPatchTask(grid, i -> 90.0 - 200.0 * Math.pow(grid.get(i) - 0.37, 2));

      assertThat(result.search().evaluations()).as("grid of %d", size).isLessThanOrEqualTo(size / 2);
      assertThat(result.search().chosenAlpha()).as("grid of %d", size)
          .isCloseTo(result.gridAlpha(), org.assertj.core.data.Offset.offset(grid.get(1) + 1e-9));
    }
  }

  @Test
  void firstRoundIsEndpointsAndMiddle() {
    Comparison result = compareOnPatchTask(GRID, i -> 50.0);

    assertThat(result.requested().subList(0, 3)).containsExactly(0.0, 0.5, 1.0);
  }

  @Test
  void plateauKeepsSmallestAlpha() {
    Comparison result = compareOnPatchTask(GRID, i -> 75.0);

    assertThat(result.search().chosenAlpha()).isEqualTo(0.0);
    assertThat(result.gridAlpha()).isEqualTo(0.0);
  }

  @Test
  void plateauAtTopEndsWithinOneStep() {
    Comparison result = compareOnPatchTask(GRID, i -> Math.min(60.0 + 5.0 * i, 90.0));

    assertThat(result.gridAlpha()).isEqualTo(0.6);
    assertThat(result.search().chosenAlpha()).isBetween(0.5, 0.7);
  }

  @Test
  void increasingCurveChoosesFineTuned() {
    Comparison result = compareOnPatchTask(GRID, i -> 60.0 + 3.0 * i);

    assertThat(result.search().chosenAlpha()).isEqualTo(1.0);
  }

  @Test
  void decreasingCurveChoosesBase() {
    Comparison result = compareOnPatchTask(GRID, i -> 90.0 - 3.0 * i);

    assertThat(result.search().chosenAlpha()).isEqualTo(0.0);
  }

  @Test
  void noisyCurvesEndWithinOneStep() {
    // Mean validation accuracies shaped like the demo's: a rise, a flat top with noise of a few tenths, a fall.
    double[][] curves = {
        {77.5, 81.2, 84.0, 85.9, 86.8, 87.4, 87.2, 87.5, 86.9, 86.1, 84.8},
        {70.1, 74.3, 79.0, 82.2, 84.9, 86.0, 86.8, 87.1, 87.4, 87.3, 87.0},
        {84.2, 86.0, 86.9, 87.1, 86.8, 87.0, 86.2, 85.1, 83.0, 80.2, 76.4},
        {62.0, 68.5, 74.9, 79.8, 83.1, 85.4, 86.9, 88.0, 88.4, 88.9, 88.7},
    };
    for (double[] curve : curves) {
      Comparison result = compareOnPatchTask(GRID, i -> curve[i]);

      assertThat(result.search().chosenAlpha()).as("curve %s", java.util.Arrays.toString(curve))
          .isCloseTo(result.gridAlpha(), org.assertj.core.data.Offset.offset(0.1 + 1e-9));
    }
  }

  @Test
  void constrainedRuleStopsAtToleranceEdge() {
    Map<String, TaskRole> roles = roles();
    // The supported task loses 0.15 * i^2 points at grid index i, so only i <= 2 stays within 1 point.
    Comparison result = compare(GRID, roles, Map.of("fashion", 92.0), CONSTRAINED, 1.0,
        i -> Map.of("fashion", 92.0 - 0.15 * i * i, "mnist", 60.0 + 3.0 * i));

    assertThat(result.gridAlpha()).isEqualTo(0.2);
    assertThat(result.search().chosenAlpha()).isEqualTo(0.2);
  }

  @Test
  void constrainedRuleFallsBackToBase() {
    Map<String, TaskRole> roles = roles();
    // The reference is 5 points above every candidate, so none keeps the supported task within tolerance.
    Comparison result = compare(GRID, roles, Map.of("fashion", 97.0), CONSTRAINED, 1.0,
        i -> Map.of("fashion", 92.0 - 0.1 * i, "mnist", 60.0 + 3.0 * i));

    assertThat(result.gridAlpha()).isEqualTo(0.0);
    assertThat(result.search().chosenAlpha()).isEqualTo(0.0);
    assertThat(result.search().evaluations()).isLessThanOrEqualTo(5);
  }

  @Test
  void meanRuleWeighsSupportedTask() {
    Map<String, TaskRole> roles = roles();
    Comparison result = compare(GRID, roles, Map.of(), MEAN, 1.0,
        i -> Map.of("fashion", 92.0 - 0.5 * i * i, "mnist", 60.0 + 6.0 * i));

    // The mean 76 + 3i - 0.25i^2 peaks at grid index 6, while the patch task alone would peak at index 10.
    assertThat(result.gridAlpha()).isEqualTo(0.6);
    assertThat(result.search().chosenAlpha())
        .isCloseTo(result.gridAlpha(), org.assertj.core.data.Offset.offset(0.1 + 1e-9));
  }

  @Test
  void recordedQuickDemoCurvesMatchGrid() {
    // Validation curves that DemoCurveRecorder measured with the demo's quick settings (--max-images 3000
    // --pretrain-epochs 1): Fashion-MNIST is supported with a reference of 68.00, each patch follows the mnist patch
    // at alpha 0.7. Validation splits of 143 to 300 images make one image worth 0.3 to 0.7 points.
    double[] fashionMnist = {68.00, 68.00, 68.00, 68.33, 68.00, 67.67, 68.00, 68.67, 66.33, 65.33, 63.67};
    double[] mnist = {69.17, 75.00, 76.25, 80.83, 81.67, 82.50, 83.75, 85.42, 85.83, 87.50, 87.92};
    double[] fashionAfter = {68.67, 68.67, 67.67, 69.00, 69.67, 70.33, 69.00, 68.33, 67.33, 65.00, 62.67};
    double[] mnistAfter = {85.42, 85.42, 85.00, 83.33, 80.42, 80.00, 78.75, 77.08, 74.58, 74.58, 73.33};
    double[] uciDigits = {89.51, 91.61, 93.71, 95.10, 95.10, 95.80, 95.10, 96.50, 97.20, 97.90, 97.90};
    Map<String, TaskRole> second = new LinkedHashMap<>(roles());
    second.put("mnist", TaskRole.SUPPORTED);
    second.put("uci-digits", TaskRole.PATCH);
    Map<String, Double> reference = Map.of("fashion", 68.00, "mnist", 69.17);

    Comparison constrainedMnist = compare(GRID, roles(), reference, CONSTRAINED, 1.0,
        i -> Map.of("fashion", fashionMnist[i], "mnist", mnist[i]));
    Comparison constrainedUci = compare(GRID, second, reference, CONSTRAINED, 1.0,
        i -> Map.of("fashion", fashionAfter[i], "mnist", mnistAfter[i], "uci-digits", uciDigits[i]));
    Comparison meanMnist = compare(GRID, roles(), Map.of(), MEAN, 1.0,
        i -> Map.of("fashion", fashionMnist[i], "mnist", mnist[i]));
    Comparison meanUci = compare(GRID, second, Map.of(), MEAN, 1.0,
        i -> Map.of("fashion", fashionAfter[i], "mnist", mnistAfter[i], "uci-digits", uciDigits[i]));

    assertThat(constrainedMnist.search().chosenAlpha()).isEqualTo(constrainedMnist.gridAlpha()).isEqualTo(0.7);
    assertThat(constrainedUci.search().chosenAlpha()).isEqualTo(constrainedUci.gridAlpha()).isEqualTo(0.8);
    assertThat(meanMnist.search().chosenAlpha()).isEqualTo(meanMnist.gridAlpha());
    assertThat(meanUci.search().chosenAlpha())
        .isCloseTo(meanUci.gridAlpha(), org.assertj.core.data.Offset.offset(0.1 + 1e-9));
  }

  @Test
  void alphaOffGridIsRejected() {
    Map<String, double[]> accuracy = Map.of("mnist", new double[] {1.0, 2.0, 3.0});
    ValidationCurves curves =
        new ValidationCurves(List.of(0.0, 0.55, 1.0), accuracy, Map.of("mnist", TaskRole.PATCH), Map.of());

    assertThatThrownBy(() -> CoarseToFineSearch.nextAlphas(GRID, curves, MEAN, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.55");
  }

  private static Comparison compareOnPatchTask(List<Double> grid, IntToDoubleFunction accuracy) {
    return compare(grid, Map.of("mnist", TaskRole.PATCH), Map.of(), MEAN, 1.0,
        i -> Map.of("mnist", accuracy.applyAsDouble(i)));
  }

  private static Comparison compare(
      List<Double> grid, Map<String, TaskRole> roles, Map<String, Double> reference, AlphaSelector selector,
      double tolerance, java.util.function.IntFunction<Map<String, Double>> accuracyAt) {
    List<Double> requested = new ArrayList<>();
    CoarseToFineSearch.Result search = CoarseToFineSearch.run(grid, alpha -> {
      requested.add(alpha);
      return accuracyAt.apply(grid.indexOf(alpha));
    }, roles, reference, selector, tolerance);

    Map<String, double[]> full = new LinkedHashMap<>();
    roles.keySet().forEach(task -> full.put(task, new double[grid.size()]));
    for (int i = 0; i < grid.size(); i++) {
      Map<String, Double> point = accuracyAt.apply(i);
      for (String task : roles.keySet()) {
        full.get(task)[i] = point.get(task);
      }
    }
    int gridChoice = selector.select(new ValidationCurves(grid, full, roles, reference), tolerance);
    return new Comparison(search, grid.get(gridChoice), requested);
  }

  private static Map<String, TaskRole> roles() {
    Map<String, TaskRole> roles = new LinkedHashMap<>();
    roles.put("fashion", TaskRole.SUPPORTED);
    roles.put("mnist", TaskRole.PATCH);
    return roles;
  }

  /** Returns {@code size} alphas from 0 to 1, rounded to two decimals like the object keys. */
  private static List<Double> grid(int size) {
    List<Double> grid = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      grid.add(Math.round(100.0 * i / (size - 1)) / 100.0);
    }
    return grid;
  }
}
