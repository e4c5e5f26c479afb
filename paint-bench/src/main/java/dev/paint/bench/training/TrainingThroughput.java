package dev.paint.bench.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.paint.shared.dataset.DatasetImporters;
import dev.paint.shared.dataset.IdxFormat;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import dev.paint.shared.model.ImageBatches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Measures images/s of the demo encoder on Fashion-MNIST's training images through the classes the services use:
 * fine-tuning through {@link EncoderTrainer}, evaluation through {@link AccuracyEvaluator}, and the data path of
 * {@link ImageBatches} with the model replaced by a no-op. scripts/bench/throughput.sh runs it next to the PyTorch
 * reference, scripts/bench/throughput_torch.py, and prints one JSON object with the same keys.
 *
 * <p>Thread counts come from the DJL system properties {@code ai.djl.pytorch.num_threads} and
 * {@code ai.djl.pytorch.num_interop_threads}, which the PyTorch engine reads once, when it loads.
 */
public final class TrainingThroughput {

  /** Images per optimiser step: trainer-service's default {@code paint.trainer.defaults.batch-size}. */
  static final int TRAIN_BATCH_SIZE = 128;

  private static final int CLASSES = 10;

  private TrainingThroughput() {}

  /**
   * Sizes of one benchmark run.
   *
   * @param dataDirectory directory with Fashion-MNIST's four IDX files
   * @param trainSteps batches of {@value #TRAIN_BATCH_SIZE} images per training epoch
   * @param trainEpochs timed epochs, after one untimed warm-up epoch
   * @param evalImages images in the timed evaluation pass
   * @param seed seed of the weights, the head and the shuffling
   */
  public record Settings(Path dataDirectory, int trainSteps, int trainEpochs, int evalImages, long seed) {

    public Settings {
      if (trainSteps < 1 || trainEpochs < 1 || evalImages < 1) {
        throw new IllegalArgumentException("Invalid settings: trainSteps " + trainSteps + ", trainEpochs "
            + trainEpochs + " and evalImages " + evalImages + " must all be at least 1");
      }
    }
  }

  /** Measured rates, in images per second. */
  public record Result(
      String threads, String interopThreads, double decodeImagesPerSecond, double dataPathImagesPerSecond,
      double trainImagesPerSecond, double evalImagesPerSecond) {

    /** Formats the result as the JSON object that throughput_report.py reads. */
    public String toJson() {
      return String.format(Locale.ROOT,
          "{\"framework\": \"paint\", \"threads\": \"%s\", \"interop_threads\": \"%s\", "
              + "\"decode_images_per_second\": %.1f, \"data_path_images_per_second\": %.1f, "
              + "\"train_images_per_second\": %.1f, \"eval_images_per_second\": %.1f}",
          threads, interopThreads, decodeImagesPerSecond, dataPathImagesPerSecond, trainImagesPerSecond,
          evalImagesPerSecond);
    }
  }

  /**
   * Runs the benchmark with {@code --data DIR --train-steps N --train-epochs N --eval-images N [--seed N]} and prints
   * the result as JSON.
   */
  public static void main(String[] args) {
    System.out.println(run(parse(args)).toJson());
  }

  /** Loads the training split and measures the data path, fine-tuning and evaluation, in that order. */
  public static Result run(Settings settings) {
    Path directory = settings.dataDirectory();
    Path imagesFile = directory.resolve(DatasetImporters.TRAIN_IMAGES + ".gz");
    Path labelsFile = directory.resolve(DatasetImporters.TRAIN_LABELS + ".gz");
    if (!Files.isRegularFile(imagesFile) || !Files.isRegularFile(labelsFile)) {
      throw new IllegalArgumentException("Missing Fashion-MNIST training files " + imagesFile + " and " + labelsFile
          + ": run scripts/fetch-datasets.sh first");
    }

    long started = System.nanoTime();
    LabeledImages all = IdxFormat.read(imagesFile, labelsFile);
    double decodeRate = all.size() / seconds(started);

    int trainImages = settings.trainSteps() * TRAIN_BATCH_SIZE;
    if (all.size() < Math.max(trainImages, settings.evalImages())) {
      throw new IllegalArgumentException("Fashion-MNIST has " + all.size() + " training images but the settings need "
          + Math.max(trainImages, settings.evalImages()) + "; lower --train-steps or --eval-images");
    }

    double dataPathRate = measureDataPath(all.limit(trainImages), settings);
    double trainRate = measureTraining(all, settings);
    double evalRate = measureEvaluation(all, settings);
    return new Result(System.getProperty("ai.djl.pytorch.num_threads", "default"),
        System.getProperty("ai.djl.pytorch.num_interop_threads", "default"), decodeRate, dataPathRate, trainRate,
        evalRate);
  }

  /**
   * Builds the batches of one warm-up epoch and the timed epochs, as EncoderTrainer does, and hands them to a consumer
   * that only creates the labels array, as a training step does. The warm-up epoch also loads the PyTorch engine.
   */
  static double measureDataPath(LabeledImages images, Settings settings) {
    Random random = new Random(settings.seed());
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      buildBatches(images, shuffled(images.size(), random), manager);

      long started = System.nanoTime();
      for (int epoch = 0; epoch < settings.trainEpochs(); epoch++) {
        buildBatches(images, shuffled(images.size(), random), manager);
      }
      return (double) images.size() * settings.trainEpochs() / seconds(started);
    }
  }

  private static void buildBatches(LabeledImages images, int[] order, NDManager manager) {
    ImageBatches.forEachBatch(images, TRAIN_BATCH_SIZE, order, manager,
        (batch, labels) -> batch.getManager().create(labels));
  }

  /**
   * Fine-tunes a fresh encoder for one warm-up epoch and the timed epochs, with trainer-service's default
   * hyperparameters, and returns the rate of the timed epochs as EncoderTrainer measures each one.
   */
  static double measureTraining(LabeledImages images, Settings settings) {
    int epochs = settings.trainEpochs() + 1;
    int trainImages = settings.trainSteps() * TRAIN_BATCH_SIZE;
    // The defaults of trainer-service's TrainerConfig.Defaults, which paint-bench does not depend on.
    Hyperparameters hyperparameters =
        new Hyperparameters(1e-4, epochs, TRAIN_BATCH_SIZE, 0.1, 50, 1.0, settings.seed(), trainImages);
    ClassificationHead head = ClassificationHead.random(CLASSES, EncoderSpec.DEMO.embeddingDim(), settings.seed());
    List<Double> timedSeconds = new ArrayList<>();

    try (Encoder encoder = Encoder.create(EncoderSpec.DEMO, Device.cpu(), settings.seed())) {
      EncoderTrainer.train(encoder, head, images, hyperparameters, (epoch, total, loss, rate) -> {
        if (epoch > 1) {
          timedSeconds.add(trainImages / rate);
        }
      });
    }
    double seconds = timedSeconds.stream().mapToDouble(Double::doubleValue).sum();
    return (double) trainImages * settings.trainEpochs() / seconds;
  }

  /** Evaluates a fresh encoder on the first images after a warm-up pass over a tenth of them. */
  static double measureEvaluation(LabeledImages images, Settings settings) {
    LabeledImages timed = images.limit(settings.evalImages());
    LabeledImages warmup = images.limit(Math.max(AccuracyEvaluator.BATCH_SIZE, settings.evalImages() / 10));
    ClassificationHead head = ClassificationHead.random(CLASSES, EncoderSpec.DEMO.embeddingDim(), settings.seed());

    try (Encoder encoder = Encoder.create(EncoderSpec.DEMO, Device.cpu(), settings.seed())) {
      AccuracyEvaluator.accuracy(encoder, head, warmup);

      long started = System.nanoTime();
      AccuracyEvaluator.accuracy(encoder, head, timed);
      return timed.size() / seconds(started);
    }
  }

  private static int[] shuffled(int size, Random random) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, size).boxed().toList());
    Collections.shuffle(order, random);
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static Settings parse(String[] args) {
    Path data = null;
    int trainSteps = 0;
    int trainEpochs = 0;
    int evalImages = 0;
    long seed = 0;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value after " + args[i] + "; " + usage());
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--data" -> data = Path.of(value);
        case "--train-steps" -> trainSteps = Integer.parseInt(value);
        case "--train-epochs" -> trainEpochs = Integer.parseInt(value);
        case "--eval-images" -> evalImages = Integer.parseInt(value);
        case "--seed" -> seed = Long.parseLong(value);
        default -> throw new IllegalArgumentException("Unknown option " + args[i] + "; " + usage());
      }
    }
    if (data == null) {
      throw new IllegalArgumentException("Missing --data; " + usage());
    }
    return new Settings(data, trainSteps, trainEpochs, evalImages, seed);
  }

  private static String usage() {
    return "usage: TrainingThroughput --data DIR --train-steps N --train-epochs N --eval-images N [--seed N]";
  }
}
