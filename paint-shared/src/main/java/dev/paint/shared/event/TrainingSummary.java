package dev.paint.shared.event;

/** What fine-tuning did, for reports and metrics. */
public record TrainingSummary(
    Hyperparameters hyperparameters,
    int steps,
    double finalLoss,
    long trainImages,
    double imagesPerSecond,
    long durationMillis,
    String device) {}
