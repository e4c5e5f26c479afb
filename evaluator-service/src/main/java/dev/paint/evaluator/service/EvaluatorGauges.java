package dev.paint.evaluator.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges of the latest evaluation per model: the chosen alpha and the validation accuracy of every candidate alpha
 * per task. Task names and grid alphas are small fixed sets per model, so they are safe as tags.
 */
final class EvaluatorGauges {

  private static final Map<String, AtomicReference<Double>> VALUES = new ConcurrentHashMap<>();

  private EvaluatorGauges() {}

  static void update(
      MeterRegistry meters, String modelName, List<Double> alphas, Map<String, double[]> curves, double chosenAlpha) {
    set(meters, "paint.evaluator.chosen.alpha", Tags.of("model", modelName), chosenAlpha);
    for (Map.Entry<String, double[]> curve : curves.entrySet()) {
      for (int i = 0; i < alphas.size(); i++) {
        Tags tags = Tags.of("model", modelName, "task", curve.getKey(), "alpha",
            String.format(Locale.ROOT, "%.2f", alphas.get(i)));
        set(meters, "paint.evaluator.validation.accuracy", tags, curve.getValue()[i]);
      }
    }
  }

  private static void set(MeterRegistry meters, String name, Tags tags, double value) {
    String id = name + tags;
    VALUES.computeIfAbsent(id, key -> {
      AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
      meters.gauge(name, tags, holder, h -> h.get());
      return holder;
    }).set(value);
  }
}
