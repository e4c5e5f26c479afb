package dev.paint.shared.event;

/** Summary of a fine-tuning run, for reports and metrics. */
public record TrainingSummary(
    Hyperparameters hyperparameters,
    int steps,
    double finalLoss,
    long trainImages,
    double imagesPerSecond,
    long durationMillis,
    String device) {}
