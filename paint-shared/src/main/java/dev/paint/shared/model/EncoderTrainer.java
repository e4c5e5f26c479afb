package dev.paint.shared.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.Hyperparameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * Fine-tunes an encoder against a frozen classification head: cross-entropy on the scaled cosine logits, AdamW with
 * decoupled weight decay, linear warm-up then cosine decay to zero, and gradient clipping by global L2 norm. This is
 * the recipe of the PAINT reference code (mlfoundations/patching); only the encoder's weights change.
 */
public final class EncoderTrainer {

  private static final Logger LOG = Logger.getLogger(EncoderTrainer.class);

  private EncoderTrainer() {}

  /** Summary of a training run: optimiser steps, mean loss of the last epoch, throughput and wall time. */
  public record Result(int steps, double finalLoss, long images, double imagesPerSecond, long durationMillis) {}

  /** Called after every epoch, for logs and metrics. */
  @FunctionalInterface
  public interface EpochListener {
    void onEpoch(int epoch, int epochs, double meanLoss, double imagesPerSecond);
  }

  /**
   * Trains {@code encoder} in place on {@code images}. {@code hyperparameters} must be complete (see
   * {@link Hyperparameters#orDefaults}).
   *
   * @throws TrainingDivergedException when the loss becomes NaN or infinite
   */
  public static Result train(
      Encoder encoder, ClassificationHead head, LabeledImages images, Hyperparameters hyperparameters,
      EpochListener listener) {
    return EngineTurns.exclusively(() -> trainAlone(encoder, head, images, hyperparameters, listener));
  }

  /**
   * Trains while no other thread of this JVM uses the engine (see {@link EngineTurns}). Taking turns per step would
   * avoid DJL's error on a second gradient collector, but two trainings interleaved step by step diverged to a NaN loss
   * at the second step in a test, so trainings take turns as a whole.
   */
  private static Result trainAlone(
      Encoder encoder, ClassificationHead head, LabeledImages images, Hyperparameters hyperparameters,
      EpochListener listener) {
    LabeledImages data = limit(images, hyperparameters.maxTrainImages());
    if (data.size() == 0) {
      throw new IllegalArgumentException("Cannot train on an empty training split");
    }
    int batchSize = hyperparameters.batchSize();
    int stepsPerEpoch = (data.size() + batchSize - 1) / batchSize;
    int totalSteps = stepsPerEpoch * hyperparameters.epochs();
    Optimizer optimizer =
        Optimizer.adamW()
            .optLearningRateTracker(new WarmupCosineSchedule(
                hyperparameters.learningRate().floatValue(), hyperparameters.warmupSteps(), totalSteps))
            .optWeightDecays(hyperparameters.weightDecay().floatValue())
            .build();
    DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer)
        .optDevices(new ai.djl.Device[] {encoder.device()});

    long started = System.nanoTime();
    double lastLoss = Double.NaN;
    try (Trainer trainer = encoder.model().newTrainer(config);
        NDManager manager = encoder.model().getNDManager().newSubManager()) {
      trainer.initialize(Encoder.inputShape(encoder.spec(), batchSize));
      NDArray classEmbeddings = head.toArray(manager).transpose();
      float scale = (float) encoder.spec().logitScale();
      Random random = new Random(hyperparameters.seed());
      EpochLoss epochLoss = new EpochLoss();
      for (int epoch = 1; epoch <= hyperparameters.epochs(); epoch++) {
        long epochStarted = System.nanoTime();
        epochLoss.reset();
        ImageBatches.forEachBatch(data, batchSize, shuffled(data.size(), random), manager, (batch, labels) -> {
          double loss = trainStep(trainer, batch, labels, classEmbeddings, scale, hyperparameters.maxGradNorm());
          if (!Double.isFinite(loss)) {
            throw new TrainingDivergedException(
                "Training loss became " + loss + " at step " + epochLoss.totalSteps + "; lower the learning rate (was "
                    + hyperparameters.learningRate() + ")");
          }
          epochLoss.add(loss);
        });

        lastLoss = epochLoss.mean();
        double rate = data.size() / ((System.nanoTime() - epochStarted) / 1e9);
        LOG.debugf("Epoch %d/%d: loss %.4f, %.0f images/s", epoch, hyperparameters.epochs(), lastLoss, rate);
        if (listener != null) {
          listener.onEpoch(epoch, hyperparameters.epochs(), lastLoss, rate);
        }
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      long seen = (long) data.size() * hyperparameters.epochs();
      return new Result(epochLoss.totalSteps, lastLoss, seen, seen / Math.max(1e-3, millis / 1000.0), millis);
    }
  }

  private static double trainStep(
      Trainer trainer, NDArray batch, int[] labels, NDArray classEmbeddings, float scale, double maxGradNorm) {
    NDManager manager = batch.getManager();
    float loss;
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray embeddings = trainer.forward(new NDList(batch)).singletonOrThrow();
      NDArray logits = embeddings.matMul(classEmbeddings).muli(scale);
      NDArray lossValue = trainer.getLoss().evaluate(new NDList(manager.create(labels)), new NDList(logits));
      collector.backward(lossValue);
      loss = lossValue.getFloat();
    }
    clipGradientNorm(trainer, manager, maxGradNorm);
    trainer.step();
    return loss;
  }

  /**
   * Scales all gradients together so that their global L2 norm is at most {@code maxNorm}, as torch's
   * clip_grad_norm_ does, and returns the global norm before scaling.
   */
  static double clipGradientNorm(Trainer trainer, NDManager manager, double maxNorm) {
    // getGradient() returns a new handle owned by the parameter's manager; the scope frees those handles every step.
    try (NDManager scope = manager.newSubManager()) {
      List<NDArray> gradients = new ArrayList<>();
      NDArray squares = scope.zeros(new Shape());
      for (var pair : trainer.getModel().getBlock().getParameters()) {
        NDArray gradient = pair.getValue().getArray().getGradient();
        gradient.attach(scope);
        gradients.add(gradient);
        squares.addi(gradient.norm().square());
      }
      // One read of the summed squares, instead of one per parameter, copies a single scalar out of native memory.
      double total = Math.sqrt(squares.getFloat());
      if (total > maxNorm) {
        float factor = (float) (maxNorm / (total + 1e-6));
        gradients.forEach(gradient -> gradient.muli(factor));
      }
      return total;
    }
  }

  /** Running loss of the current epoch, and the steps taken over the whole run. */
  private static final class EpochLoss {
    private double sum;
    private int steps;
    private int totalSteps;

    void reset() {
      sum = 0;
      steps = 0;
    }

    void add(double loss) {
      sum += loss;
      steps++;
      totalSteps++;
    }

    double mean() {
      return sum / steps;
    }
  }

  private static int[] shuffled(int size, Random random) {
    int[] order = new int[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private static LabeledImages limit(LabeledImages images, Integer maxImages) {
    if (maxImages == null || maxImages == 0 || maxImages >= images.size()) {
      return images;
    }
    return images.limit(maxImages);
  }
}
