package dev.paint.shared.event;

/**
 * Kafka topics of the patching pipeline, one per event type and named after what happened. Every event is keyed by
 * model name, so one model's events stay in order on one partition.
 */
public final class Topics {

  /** A user or system requests a patch of a model on a new task; consumed by trainer-service. */
  public static final String PATCH_TASK_SUBMITTED = "paint.patch-task.submitted";

  /** The deployed encoder was fine-tuned on the patch task; consumed by interpolator-service. */
  public static final String ENCODER_FINE_TUNED = "paint.encoder.fine-tuned";

  /** Interpolated candidates are in the object store; consumed by evaluator-service. */
  public static final String CANDIDATES_INTERPOLATED = "paint.candidates.interpolated";

  /** A coarse-to-fine alpha search needs another round of candidates; consumed by interpolator-service. */
  public static final String CANDIDATES_REQUESTED = "paint.candidates.requested";

  /** A candidate alpha was chosen on validation data; consumed by registry-service. */
  public static final String CANDIDATE_SELECTED = "paint.candidate.selected";

  /** A model version became the deployed one; for any subscriber. */
  public static final String MODEL_PROMOTED = "paint.model.promoted";

  /** A patch task ended without a promotion; the event carries the reason. */
  public static final String PATCH_TASK_FAILED = "paint.patch-task.failed";

  /**
   * Returns the dead-letter topic of an incoming channel, {@code dead-letter-topic-<channel>}. SmallRye's
   * dead-letter-queue failure strategy sends every record that the channel's consumer nacks to this topic by default.
   */
  public static String deadLetter(String channel) {
    return "dead-letter-topic-" + channel;
  }

  private Topics() {}
}
