package dev.paint.trainer.service;

import dev.paint.shared.model.EncoderTrainer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** Fine-tuning meters, tagged by model: duration, throughput, and the current epoch and loss. */
@ApplicationScoped
public class TrainingMetrics {

  @Inject MeterRegistry registry;

  private final Map<String, AtomicReference<double[]>> progress = new ConcurrentHashMap<>();

  void epochFinished(String modelName, int epoch, double loss, double imagesPerSecond) {
    current(modelName).set(new double[] {epoch, loss, imagesPerSecond});
  }

  void trainingFinished(String modelName, String device, EncoderTrainer.Result result) {
    Timer.builder("paint.trainer.duration")
        .description("Wall time of one fine-tuning run")
        .tags(Tags.of("model", modelName, "device", device))
        .register(registry)
        .record(Duration.ofMillis(result.durationMillis()));
  }

  private AtomicReference<double[]> current(String modelName) {
    return progress.computeIfAbsent(modelName, name -> {
      AtomicReference<double[]> holder = new AtomicReference<>(new double[] {0, Double.NaN, 0});
      Tags tags = Tags.of("model", name);
      registry.gauge("paint.trainer.epoch", tags, holder, h -> h.get()[0]);
      registry.gauge("paint.trainer.loss", tags, holder, h -> h.get()[1]);
      registry.gauge("paint.trainer.images.per.second", tags, holder, h -> h.get()[2]);
      return holder;
    });
  }
}
