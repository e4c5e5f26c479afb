package dev.paint.shared.model;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate that rises linearly from zero to its peak over the warm-up steps, then decays to zero along a cosine
 * over the remaining steps: the schedule of the PAINT reference fine-tuning code.
 */
final class WarmupCosineSchedule implements Tracker {

  private final float peak;
  private final int warmupSteps;
  private final int totalSteps;

  WarmupCosineSchedule(float peak, int warmupSteps, int totalSteps) {
    this.peak = peak;
    this.warmupSteps = Math.max(0, warmupSteps);
    this.totalSteps = Math.max(1, totalSteps);
  }

  /** DJL counts updates from 0; the rate for update {@code step}. */
  @Override
  public float getNewValue(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / warmupSteps;
    }
    int decaySteps = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
    return (float) (0.5 * peak * (1 + Math.cos(Math.PI * progress)));
  }
}
