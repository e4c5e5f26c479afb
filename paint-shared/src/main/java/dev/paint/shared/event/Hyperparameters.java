package dev.paint.shared.event;

/**
 * Fine-tuning settings of one patch task. Every field is optional: a missing one takes the trainer's configured default
 * (see {@link #orDefaults(Hyperparameters)}).
 *
 * @param learningRate peak AdamW learning rate, reached after the warm-up
 * @param epochs passes over the task's training split
 * @param batchSize images per optimiser step
 * @param weightDecay AdamW decoupled weight decay
 * @param warmupSteps steps of linear warm-up before the cosine decay to zero
 * @param maxGradNorm global L2 norm that gradients are clipped to
 * @param seed seed for shuffling and augmentation order
 * @param maxTrainImages cap on training images, 0 or null for all of them
 */
public record Hyperparameters(
    Double learningRate,
    Integer epochs,
    Integer batchSize,
    Double weightDecay,
    Integer warmupSteps,
    Double maxGradNorm,
    Long seed,
    Integer maxTrainImages) {

  public Hyperparameters {
    requirePositive(learningRate, "learningRate");
    requirePositive(epochs, "epochs");
    requirePositive(batchSize, "batchSize");
    requireNonNegative(weightDecay, "weightDecay");
    requireNonNegative(warmupSteps, "warmupSteps");
    requirePositive(maxGradNorm, "maxGradNorm");
    requireNonNegative(maxTrainImages, "maxTrainImages");
  }

  public static Hyperparameters none() {
    return new Hyperparameters(null, null, null, null, null, null, null, null);
  }

  /** Fills every missing field from {@code defaults}, which must be complete. */
  public Hyperparameters orDefaults(Hyperparameters defaults) {
    return new Hyperparameters(
        learningRate != null ? learningRate : defaults.learningRate,
        epochs != null ? epochs : defaults.epochs,
        batchSize != null ? batchSize : defaults.batchSize,
        weightDecay != null ? weightDecay : defaults.weightDecay,
        warmupSteps != null ? warmupSteps : defaults.warmupSteps,
        maxGradNorm != null ? maxGradNorm : defaults.maxGradNorm,
        seed != null ? seed : defaults.seed,
        maxTrainImages != null ? maxTrainImages : defaults.maxTrainImages);
  }

  private static void requirePositive(Number value, String field) {
    if (value != null && !(value.doubleValue() > 0)) {
      throw new InvalidEventException("Invalid hyperparameters." + field + " " + value + ": it must be positive");
    }
  }

  private static void requireNonNegative(Number value, String field) {
    if (value != null && !(value.doubleValue() >= 0)) {
      throw new InvalidEventException("Invalid hyperparameters." + field + " " + value + ": it must be zero or more");
    }
  }
}
