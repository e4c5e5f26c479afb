package dev.paint.trainer.domain;

import dev.paint.shared.event.PatchTaskSubmitted;
import java.time.Instant;
import java.util.Comparator;

/**
 * A patch task as the trainer recorded it on receipt. The receipt time and the Kafka offset keep one model's tasks in
 * submission order when the trainer resumes them after a restart.
 *
 * @param receivedAt when the trainer first recorded the task
 * @param offset the Kafka offset of the record that delivered it, or -1 when it did not come from Kafka
 */
public record SubmittedTask(PatchTaskSubmitted task, Instant receivedAt, long offset) {

  /**
   * Submission order. Tasks of one model share a partition because they are keyed by model name, so the offset breaks
   * a tie between two tasks received in the same millisecond.
   */
  public static final Comparator<SubmittedTask> SUBMISSION_ORDER =
      Comparator.comparing(SubmittedTask::receivedAt).thenComparingLong(SubmittedTask::offset);

  public String modelName() {
    return task.modelName();
  }

  public String taskId() {
    return task.taskId();
  }
}
