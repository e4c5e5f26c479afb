package dev.paint.registry.service;

import dev.paint.registry.domain.ModelVersion;
import dev.paint.shared.event.TaskAccuracy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The registry's meters. Tags are the model name, the task name and fixed outcome values, never a task id, so the
 * number of time series grows with models and tasks only.
 */
@ApplicationScoped
public class RegistryMetrics {

  /** Counter of handled candidates, tagged {@code model} and {@code outcome} ({@link PromotionOutcome.Status#tag}). */
  public static final String PROMOTIONS = "paint.promotions";

  /** Gauge of the version the {@code deployed} alias points at, tagged {@code model}. */
  public static final String DEPLOYED_VERSION = "paint.registry.deployed.version";

  /**
   * Gauge of the deployed version's patched accuracy in percent, tagged {@code model}, {@code task} and {@code split}
   * ("test"). It is NaN for a task that the deployed version has no accuracy for.
   */
  public static final String TASK_ACCURACY = "paint.registry.task.accuracy";

  /** Timer from a patch task's submission to its promotion, tagged {@code model}. */
  public static final String PIPELINE_LATENCY = "paint.pipeline.latency";

  private final MeterRegistry meters;
  private final ConcurrentMap<String, AtomicReference<Double>> deployedVersions = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, ConcurrentMap<String, AtomicReference<Double>>> testAccuracies =
      new ConcurrentHashMap<>();

  @Inject
  public RegistryMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  public void promotion(String modelName, PromotionOutcome.Status outcome) {
    Counter.builder(PROMOTIONS)
        .description("Selected candidates handled by the registry, by outcome")
        .tag("model", modelName)
        .tag("outcome", outcome.tag())
        .register(meters)
        .increment();
  }

  public void pipelineLatency(String modelName, Duration latency) {
    if (latency.isNegative()) {
      return;
    }
    Timer.builder(PIPELINE_LATENCY)
        .description("Time from a patch task's submission to the promotion of its model version")
        .tag("model", modelName)
        .register(meters)
        .record(latency);
  }

  /** Updates the deployed version and test accuracy gauges after the {@code deployed} alias moved to {@code deployed}. */
  public void deployedChanged(ModelVersion deployed) {
    String modelName = deployed.modelName();
    deployedVersionGauge(modelName).set((double) deployed.version());

    ConcurrentMap<String, AtomicReference<Double>> accuracies =
        testAccuracies.computeIfAbsent(modelName, name -> new ConcurrentHashMap<>());
    for (Map.Entry<String, TaskAccuracy> entry : deployed.accuracy().entrySet()) {
      accuracies.computeIfAbsent(entry.getKey(), task -> accuracyGauge(modelName, task))
          .set(entry.getValue().patchedTest());
    }
    // A rollback can deploy a version without some task's accuracy, so that task's gauge must drop the newer value.
    accuracies.forEach((task, value) -> {
      if (!deployed.accuracy().containsKey(task)) {
        value.set(Double.NaN);
      }
    });
  }

  private AtomicReference<Double> deployedVersionGauge(String modelName) {
    return deployedVersions.computeIfAbsent(modelName, name -> {
      AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
      Gauge.builder(DEPLOYED_VERSION, value, AtomicReference::get)
          .description("Version number that the deployed alias points at")
          .tag("model", name)
          .register(meters);
      return value;
    });
  }

  private AtomicReference<Double> accuracyGauge(String modelName, String task) {
    AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
    Gauge.builder(TASK_ACCURACY, value, AtomicReference::get)
        .description("Patched accuracy in percent of the deployed model version on a task's split")
        .tag("model", modelName)
        .tag("task", task)
        .tag("split", "test")
        .register(meters);
    return value;
  }
}
