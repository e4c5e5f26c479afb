package dev.paint.demo;

import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Devices;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Pretrains the demo's base encoder on Fashion-MNIST against a frozen random head, and keeps the result in a cache
 * directory so that a later run with the same encoder, hyperparameters and dataset splits skips the training.
 *
 * <p>The random head is a stand-in for CLIP's text head: a fixed set of unit-norm class embeddings that the encoder
 * learns to match. PAINT patches a pretrained CLIP encoder, which this repository cannot download.
 */
public final class BaseModelBuilder {

  /** The base model's only supported task. */
  public static final String TASK = "fashion-mnist";

  /** Seed of the encoder's initial weights and of the random head. */
  public static final long SEED = 0;

  /** Pretraining recipe: AdamW at 1e-3 for 3 epochs, batch 128, weight decay 0.1, 100 warm-up steps, clip at 1.0. */
  public static final Hyperparameters PRETRAINING = new Hyperparameters(1e-3, 3, 128, 0.1, 100, 1.0, SEED, 0);

  static final String ENCODER_FILE = "encoder.safetensors";
  static final String HEAD_FILE = "head.safetensors";
  static final String RECORD_FILE = "base.json";

  /**
   * A pretrained base encoder and its head in the cache.
   *
   * @param cacheKey the first 16 hex digits of the SHA-256 over the spec, seed, hyperparameters and dataset splits
   * @param validationAccuracy Fashion-MNIST validation accuracy in percent
   * @param testAccuracy Fashion-MNIST test accuracy in percent
   * @param trainingMillis how long pretraining took when it ran, also for a cached base
   * @param fromCache whether this run reused an earlier run's training
   */
  public record PretrainedBase(
      Path encoderFile, Path headFile, EncoderSpec spec, String cacheKey, double validationAccuracy,
      double testAccuracy, long trainingMillis, boolean fromCache) {}

  /** The metadata stored in the cache beside the two checkpoints. */
  record CacheRecord(
      EncoderSpec spec, Hyperparameters hyperparameters, double validationAccuracy, double testAccuracy,
      long trainingMillis) {}

  private BaseModelBuilder() {}

  /**
   * Returns the cached base for these inputs, or pretrains one and stores it in {@code cacheRoot}.
   *
   * @param manifest the stored manifest of {@code fashion}, whose split digests enter the cache key
   */
  public static PretrainedBase pretrainOrLoad(
      EncoderSpec spec, Hyperparameters hyperparameters, Dataset fashion, DatasetManifest manifest, Path cacheRoot,
      PrintStream out) {
    String key = cacheKey(spec, hyperparameters, manifest);
    Path directory = cacheRoot.resolve("base-" + key);
    Path recordFile = directory.resolve(RECORD_FILE);
    if (Files.isRegularFile(recordFile)) {
      CacheRecord record = readRecord(recordFile);
      out.printf("  reusing the pretrained base from %s (cache key %s); delete it to pretrain again%n", directory, key);
      return new PretrainedBase(directory.resolve(ENCODER_FILE), directory.resolve(HEAD_FILE), spec, key,
          record.validationAccuracy(), record.testAccuracy(), record.trainingMillis(), true);
    }

    Path partial = createPartialDirectory(cacheRoot, key);
    CacheRecord record = pretrain(spec, hyperparameters, fashion, partial, out);
    moveIntoPlace(partial, directory);
    return new PretrainedBase(directory.resolve(ENCODER_FILE), directory.resolve(HEAD_FILE), spec, key,
        record.validationAccuracy(), record.testAccuracy(), record.trainingMillis(), false);
  }

  /** Returns the cache key: 16 hex digits of the SHA-256 over every input that changes the pretrained weights. */
  static String cacheKey(EncoderSpec spec, Hyperparameters hyperparameters, DatasetManifest manifest) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("spec", spec);
    inputs.put("seed", SEED);
    inputs.put("hyperparameters", hyperparameters);
    inputs.put("dataset", manifest.name());
    inputs.put("splits", manifest.splits());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.writeBytes(inputs));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }

  private static CacheRecord pretrain(
      EncoderSpec spec, Hyperparameters hyperparameters, Dataset fashion, Path directory, PrintStream out) {
    ClassificationHead head = ClassificationHead.random(fashion.classNames().size(), spec.embeddingDim(), SEED);
    out.printf("  pretraining on %d %s images for %d epochs on the CPU%n", fashion.train().size(), fashion.name(),
        hyperparameters.epochs());

    // The encoder's weights live in PyTorch's native memory, which only close() frees.
    try (Encoder encoder = Encoder.create(spec, Devices.select(false), SEED)) {
      EncoderTrainer.Result result = EncoderTrainer.train(encoder, head, fashion.train(), hyperparameters,
          (epoch, epochs, loss, imagesPerSecond) ->
              out.printf("    epoch %d/%d: mean loss %.4f, %.0f images/s%n", epoch, epochs, loss, imagesPerSecond));
      double validation = AccuracyEvaluator.accuracy(encoder, head, fashion.validation());
      double test = AccuracyEvaluator.accuracy(encoder, head, fashion.test());
      out.printf("  pretrained in %.1f s: %s accuracy %.2f %% on validation, %.2f %% on test%n",
          result.durationMillis() / 1000.0, fashion.name(), validation, test);

      Map<String, String> metadata = Map.of("paint.pretrained-on", fashion.name(), "paint.seed", Long.toString(SEED));
      encoder.save(directory.resolve(ENCODER_FILE), metadata);
      head.save(directory.resolve(HEAD_FILE), metadata);
      CacheRecord record = new CacheRecord(spec, hyperparameters, validation, test, result.durationMillis());
      writeRecord(directory.resolve(RECORD_FILE), record);
      return record;
    }
  }

  private static Path createPartialDirectory(Path cacheRoot, String key) {
    try {
      Files.createDirectories(cacheRoot);
      return Files.createTempDirectory(cacheRoot, "base-" + key + "-partial-");
    } catch (IOException e) {
      throw new UncheckedIOException("Creating a directory for the pretrained base under " + cacheRoot
          + " failed; choose a writable --work-dir", e);
    }
  }

  /** Renames the finished directory into place, so that an interrupted run never leaves a half-written cache entry. */
  private static void moveIntoPlace(Path partial, Path directory) {
    try {
      Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Moving the pretrained base from " + partial + " to " + directory + " failed; delete both and run again", e);
    }
  }

  private static CacheRecord readRecord(Path file) {
    try {
      return Json.read(Files.readString(file, StandardCharsets.UTF_8), CacheRecord.class);
    } catch (IOException | UncheckedIOException e) {
      throw new DemoFailedException(
          "Reading the cached pretrained base " + file + " failed (" + e.getMessage() + "); delete its directory and run"
              + " again", e);
    }
  }

  private static void writeRecord(Path file, CacheRecord record) {
    try {
      Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(record));
    } catch (IOException e) {
      throw new UncheckedIOException("Writing " + file + " failed; choose a writable --work-dir", e);
    }
  }
}
