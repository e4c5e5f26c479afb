package dev.paint.evaluator.selection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlphaSelectorTest {

  private static final List<Double> ALPHAS = List.of(0.0, 0.25, 0.5, 0.75, 1.0);

  /** Curves where the supported task loses accuracy as alpha grows and the patch task gains. */
  private static ValidationCurves tradeOff(double referenceSupported) {
    Map<String, double[]> accuracy = new LinkedHashMap<>();
    accuracy.put("fashion", new double[] {90.0, 89.5, 88.0, 84.0, 76.0});
    accuracy.put("mnist", new double[] {60.0, 75.0, 85.0, 92.0, 94.0});
    Map<String, TaskRole> roles = Map.of("fashion", TaskRole.SUPPORTED, "mnist", TaskRole.PATCH);
    return new ValidationCurves(ALPHAS, accuracy, roles, Map.of("fashion", referenceSupported));
  }

  @Test
  void meanAccuracyPicksHighestMean() {
    int chosen = new MeanAccuracySelector().select(tradeOff(90.0), 1.0);

    // Means: 75.0, 82.25, 86.5, 88.0, 85.0
    assertThat(ALPHAS.get(chosen)).isEqualTo(0.75);
  }

  @Test
  void meanAccuracyTiesGoToSmallerAlpha() {
    Map<String, double[]> accuracy = Map.of("a", new double[] {50.0, 70.0, 70.0, 60.0, 70.0});
    ValidationCurves curves = new ValidationCurves(ALPHAS, accuracy, Map.of("a", TaskRole.PATCH), Map.of());

    int chosen = new MeanAccuracySelector().select(curves, 1.0);

    assertThat(ALPHAS.get(chosen)).isEqualTo(0.25);
  }

  @Test
  void constrainedKeepsSupportedWithinTolerance() {
    int chosen = new ConstrainedSelector().select(tradeOff(90.0), 1.0);

    // Only alphas 0 and 0.25 keep fashion at 89.0 or above; 0.25 is better on mnist.
    assertThat(ALPHAS.get(chosen)).isEqualTo(0.25);
  }

  @Test
  void constrainedWiderToleranceAllowsLargerAlpha() {
    int chosen = new ConstrainedSelector().select(tradeOff(90.0), 2.0);

    assertThat(ALPHAS.get(chosen)).isEqualTo(0.5);
  }

  @Test
  void constrainedFallsBackToSmallestAlpha() {
    int chosen = new ConstrainedSelector().select(tradeOff(95.0), 1.0);

    assertThat(chosen).isZero();
  }

  @Test
  void selectorsIgnoreNothingButValidationCurves() {
    ValidationCurves curves = tradeOff(90.0);

    assertThat(AlphaSelector.forRule(SelectionRule.MEAN_ACCURACY).select(curves, 1.0))
        .isEqualTo(new MeanAccuracySelector().select(curves, 1.0));
    assertThat(AlphaSelector.forRule(SelectionRule.CONSTRAINED).rule()).isEqualTo(SelectionRule.CONSTRAINED);
  }

  @Test
  void curveLengthMustMatchAlphas() {
    Map<String, double[]> accuracy = Map.of("a", new double[] {1.0, 2.0});

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ValidationCurves(ALPHAS, accuracy, Map.of("a", TaskRole.PATCH), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task a");
  }
}
