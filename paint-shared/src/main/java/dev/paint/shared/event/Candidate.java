package dev.paint.shared.event;

/** One interpolated encoder: theta = (1 - alpha) * base + alpha * fine-tuned. */
public record Candidate(double alpha, CheckpointRef checkpoint) {

  public Candidate {
    Selection.requireAlpha(alpha, "candidate.alpha");
    EventValidation.requireNonNull(checkpoint, "candidate.checkpoint");
  }
}
