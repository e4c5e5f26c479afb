package dev.paint.trainer.domain;

/**
 * Names of the trainer's stage records under {@code tasks/<model>/<task id>/stages/}. Together they record how far a patch
 * task got, which the trainer reads after a restart to resume it.
 */
public final class TrainerStages {

  /** The task was received and recorded, so its Kafka record may be acknowledged. Payload: {@link SubmittedTask}. */
  public static final String SUBMITTED = "submitted";

  /** Fine-tuning finished and its checkpoint is stored. Payload: the {@code EncoderFineTuned} event. */
  public static final String FINE_TUNED = "fine-tuned";

  /** The broker acknowledged the {@code EncoderFineTuned} event. Payload: {@link Published}. */
  public static final String PUBLISHED = "fine-tuned-published";

  /** The task was promoted or failed, so the model's next task may start. Payload: the outcome event. */
  public static final String CLOSED = "closed";

  private TrainerStages() {}

  /** When the broker acknowledged a task's result event. */
  public record Published(java.time.Instant publishedAt) {}
}
