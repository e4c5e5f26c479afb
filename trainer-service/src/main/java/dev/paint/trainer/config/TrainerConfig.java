package dev.paint.trainer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Fine-tuning settings of trainer-service. The defaults apply to every patch task that does not override them. */
@ConfigMapping(prefix = "paint.trainer")
public interface TrainerConfig {

  /** Whether to train on the first GPU when the PyTorch engine detects one, else on the CPU. */
  @WithDefault("true")
  boolean preferGpu();

  /** Directory for downloaded and written checkpoints; a new temporary directory when unset. */
  Optional<String> workDirectory();

  /**
   * How long a parked patch task waits for the model's earlier tasks to be promoted or to fail before it starts anyway.
   * Tasks of one model run one after the other, so each one starts from the version its predecessor promoted.
   */
  @WithDefault("PT2H")
  Duration predecessorTimeout();

  /**
   * Patch tasks that run at the same time, each on its own worker thread. Tasks of one model never overlap, so this
   * bounds how many models' tasks are in progress. Each running task keeps one encoder and its optimizer state in
   * memory.
   *
   * <p>NOTE: the encoder work of concurrent tasks (building, training, embedding) takes turns, because DJL's PyTorch
   * engine allows one gradient collector per JVM and training diverged when it overlapped other encoder work.
   * Downloads and uploads overlap, but one process trains one encoder at a time.
   */
  @WithDefault("2")
  int maxConcurrentTasks();

  /** Fine-tuning defaults. */
  Defaults defaults();

  /** Defaults sized for the built-in demo encoder: a gentle fine-tune keeps the weights close, so they interpolate well. */
  interface Defaults {

    /** Peak AdamW learning rate. */
    @WithDefault("1e-4")
    double learningRate();

    /** Passes over the training split. */
    @WithDefault("3")
    int epochs();

    /** Images per step. */
    @WithDefault("128")
    int batchSize();

    /** AdamW decoupled weight decay; 0.1 as in the PAINT reference recipe. */
    @WithDefault("0.1")
    double weightDecay();

    /** Linear warm-up steps before the cosine decay to zero. */
    @WithDefault("50")
    int warmupSteps();

    /** Global L2 norm that gradients are clipped to; 1.0 as in the PAINT reference recipe. */
    @WithDefault("1.0")
    double maxGradNorm();

    /** Seed for the shuffling order. */
    @WithDefault("0")
    long seed();

    /** Cap on training images per task; 0 trains on the whole split. */
    @WithDefault("0")
    int maxTrainImages();
  }
}
