package dev.paint.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
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

  @Test
  void embedMatchesTextbookLayerOrder() {
    EncoderSpec twoConvolutions = new EncoderSpec(1, 8, List.of(4, 6), List.of(8), 8, 10.0);
    try (Encoder encoder = Encoder.create(twoConvolutions, Device.cpu(), 10);
        NDManager manager = encoder.model().getNDManager().newSubManager()) {
      NDArray images = manager.randomUniform(0, 1, new Shape(5, 1, 8, 8));

      NDArray actual = encoder.embed(images);

      // The textbook order: convolution, ReLU, then 2x2 max pooling.
      Map<String, Parameter> weights = encoder.parameters();
      NDArray expected = images;
      for (int i = 0; i < 2; i++) {
        NDArray convolved = Conv2d.conv2d(expected, weights.get("conv" + i + ".weight").getArray(),
            weights.get("conv" + i + ".bias").getArray(), new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
        expected = Pool.maxPool2d(Activation.relu(convolved), new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
      }
      expected = Activation.relu(Linear.linear(expected.reshape(5, -1), weights.get("fc0.weight").getArray(),
          weights.get("fc0.bias").getArray()).singletonOrThrow());
      expected = Encoder.l2Normalize(Linear.linear(expected, weights.get("proj.weight").getArray(),
          weights.get("proj.bias").getArray()).singletonOrThrow());
      float[] expectedValues = expected.toFloatArray();
      float[] actualValues = actual.toFloatArray();
      assertThat(actualValues).hasSameSizeAs(expectedValues);
      for (int i = 0; i < expectedValues.length; i++) {
        assertThat(actualValues[i]).as("embedding value %d", i).isCloseTo(expectedValues[i], within(1e-6f));
      }
    }
  }

  @Test
  void maxPool2x2MatchesMaxPool2d() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (Shape shape : List.of(new Shape(3, 2, 8, 8), new Shape(2, 3, 7, 5))) {
        NDArray input = manager.randomNormal(shape);

        NDArray actual = Encoder.maxPool2x2(input);

        NDArray expected = Pool.maxPool2d(input, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        assertThat(actual.getShape()).as("shape for %s", shape).isEqualTo(expected.getShape());
        assertThat(actual.toFloatArray()).as("values for %s", shape).containsExactly(expected.toFloatArray());
      }
    }
  }

  @Test
  void clippingScalesGlobalNormToLimit() {
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 11);
        Trainer trainer = encoder.model().newTrainer(new DefaultTrainingConfig(Loss.l2Loss()));
        NDManager manager = encoder.model().getNDManager().newSubManager()) {
      trainer.initialize(new Shape(4, 1, 8, 8));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray embeddings = trainer.forward(new NDList(manager.randomUniform(0, 1, new Shape(4, 1, 8, 8))))
            .singletonOrThrow();
        collector.backward(embeddings.get(":, 0").sum());
      }
      double before = globalGradientNorm(trainer);

      double unclipped = EncoderTrainer.clipGradientNorm(trainer, manager, 2 * before);
      double afterLooseLimit = globalGradientNorm(trainer);
      double reported = EncoderTrainer.clipGradientNorm(trainer, manager, before / 4);

      assertThat(before).isPositive();
      assertThat(unclipped).isCloseTo(before, within(1e-4 * before));
      assertThat(afterLooseLimit).isCloseTo(before, within(1e-6 * before));
      assertThat(reported).isCloseTo(before, within(1e-4 * before));
      assertThat(globalGradientNorm(trainer)).isCloseTo(before / 4, within(1e-4 * before));
    }
  }

  /** Returns the L2 norm of all gradients together, summed in double precision on the Java side. */
  private static double globalGradientNorm(Trainer trainer) {
    double squares = 0;
    for (var pair : trainer.getModel().getBlock().getParameters()) {
      for (float value : pair.getValue().getArray().getGradient().toFloatArray()) {
        squares += (double) value * value;
      }
    }
    return Math.sqrt(squares);
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
