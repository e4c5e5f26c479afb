package dev.paint.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.Hyperparameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTrainerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(8), 8, 10.0);

  @TempDir Path directory;

  @Test
  void trainingRaisesAccuracyWithFrozenHead() {
    LabeledImages train = halves(256, 1);
    LabeledImages validation = halves(64, 2);
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 3);
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 4)) {
      double before = AccuracyEvaluator.accuracy(encoder, head, validation);

      EncoderTrainer.Result result =
          EncoderTrainer.train(encoder, head, train, new Hyperparameters(1e-2, 3, 32, 0.1, 2, 1.0, 0L, 0), null);

      double after = AccuracyEvaluator.accuracy(encoder, head, validation);
      assertThat(result.steps()).isEqualTo(3 * 8);
      assertThat(result.finalLoss()).isFinite();
      assertThat(after).isGreaterThanOrEqualTo(95.0);
      assertThat(after).isGreaterThan(before);
    }
  }

  @Test
  void concurrentTrainingsBothFinish() throws Exception {
    LabeledImages train = halves(256, 1);
    LabeledImages validation = halves(64, 2);
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 3);
    Hyperparameters hyperparameters = new Hyperparameters(1e-2, 10, 32, 0.1, 2, 1.0, 0L, 0);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Callable<Double> training = () -> {
        try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 4)) {
          EncoderTrainer.train(encoder, head, train, hyperparameters, null);
          return AccuracyEvaluator.accuracy(encoder, head, validation);
        }
      };

      List<Future<Double>> accuracies = threads.invokeAll(List.of(training, training));

      assertThat(accuracies.get(0).get()).isGreaterThanOrEqualTo(95.0);
      assertThat(accuracies.get(1).get()).isGreaterThanOrEqualTo(95.0);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void savedWeightsLoadExactly() {
    Path file = directory.resolve("encoder.safetensors");
    try (Encoder original = Encoder.create(SPEC, Device.cpu(), 5)) {
      original.save(file, Map.of("note", "test"));

      try (Encoder loaded = Encoder.load(SPEC, file, Device.cpu())) {
        for (String name : original.parameters().keySet()) {
          assertThat(loaded.parameters().get(name).getArray().toFloatArray())
              .as(name)
              .containsExactly(original.parameters().get(name).getArray().toFloatArray());
        }
      }
    }
  }

  @Test
  void tensorNamesFollowPytorchConvention() {
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 6)) {
      assertThat(encoder.parameters().keySet())
          .containsExactly("conv0.weight", "conv0.bias", "fc0.weight", "fc0.bias", "proj.weight", "proj.bias");
      assertThat(encoder.parameters().get("conv0.weight").getArray().getShape().getShape())
          .containsExactly(4, 1, 3, 3);
      assertThat(encoder.parameters().get("proj.weight").getArray().getShape().getShape()).containsExactly(8, 8);
    }
  }

  @Test
  void trainingKeepsLoadedWeightsAsStart() {
    Path file = directory.resolve("start.safetensors");
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 3);
    try (Encoder trained = Encoder.create(SPEC, Device.cpu(), 7)) {
      EncoderTrainer.train(trained, head, halves(256, 1), new Hyperparameters(1e-2, 3, 32, 0.0, 2, 1.0, 0L, 0), null);
      trained.save(file, Map.of());
    }

    try (Encoder resumed = Encoder.load(SPEC, file, Device.cpu())) {
      double loaded = AccuracyEvaluator.accuracy(resumed, head, halves(64, 2));
      // A learning rate this small cannot undo training; a re-initialised encoder would drop to chance.
      EncoderTrainer.train(resumed, head, halves(32, 9), new Hyperparameters(1e-9, 1, 32, 0.0, 0, 1.0, 0L, 0), null);

      assertThat(AccuracyEvaluator.accuracy(resumed, head, halves(64, 2))).isEqualTo(loaded);
    }
  }

  @Test
  void divergingLossIsReported() {
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 3);
    LabeledImages train = halves(64, 1);
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 8)) {
      Hyperparameters explosive = new Hyperparameters(1e30, 2, 16, 0.0, 0, 1e30, 0L, 0);

      assertThatThrownBy(() -> EncoderTrainer.train(encoder, head, train, explosive, null))
          .isInstanceOf(TrainingDivergedException.class)
          .hasMessageContaining("lower the learning rate");
    }
  }

  @Test
  void loadRejectsWrongArchitecture() {
    Path file = directory.resolve("other.safetensors");
    try (Encoder other = Encoder.create(new EncoderSpec(1, 8, List.of(6), List.of(8), 8, 10.0), Device.cpu(), 1)) {
      other.save(file, Map.of());
    }

    assertThatThrownBy(() -> Encoder.load(SPEC, file, Device.cpu()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("conv0.weight")
        .hasMessageContaining("[6, 1, 3, 3]");
  }

  @Test
  void headFromClassMeansSeparatesClasses() {
    LabeledImages images = halves(128, 1);
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 2)) {
      ClassificationHead head = ClassificationHead.fromClassMeans(encoder, images, 2);

      assertThat(head.classes()).isEqualTo(2);
      assertThat(AccuracyEvaluator.accuracy(encoder, head, images)).isGreaterThan(50.0);
    }
  }

  /** Class 0 lights the top half of an 8x8 image, class 1 the bottom half, with noise. */
  private static LabeledImages halves(int count, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[count * 64];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 2;
      for (int p = 0; p < 64; p++) {
        boolean lit = (p < 32) == (labels[i] == 0);
        pixels[i * 64 + p] = (byte) (lit ? 160 + random.nextInt(90) : random.nextInt(60));
      }
    }
    return new LabeledImages(1, 8, 8, pixels, labels);
  }
}
