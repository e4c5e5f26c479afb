package dev.paint.trainer.service;

import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.messaging.StageRetry;
import dev.paint.shared.storage.StageRecords;
import dev.paint.trainer.domain.TrainerStages;
import dev.paint.trainer.messaging.TrainerEventPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs one recorded patch task on a worker thread: fine-tunes it once, stores the result, then publishes it. A task that
 * cannot be trained is published as failed and closed, so the model's next task can start.
 */
@ApplicationScoped
public class PatchTaskRunner {

  private static final Logger LOG = Logger.getLogger(PatchTaskRunner.class);

  @Inject FineTuningService fineTuning;
  @Inject TrainerEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject StageRetry retry;

  /** Runs the task unless it is already closed. A task fine-tuned before a restart is published, not trained again. */
  public void run(PatchTaskSubmitted task) {
    if (stages.find(task.modelName(), task.taskId(), TrainerStages.CLOSED, Object.class).isPresent()) {
      LOG.infof("Patch task %s of model %s is already closed; skipping it", task.taskId(), task.modelName());
      return;
    }

    EncoderFineTuned result;
    try {
      // A transient failure (the object store or the broker unreachable) runs the stage again until
      // paint.stage-retry.max-duration has passed; only then does the task fail.
      result = retry.run(task.taskId(), TrainerStages.FINE_TUNED, () -> stages.once(task.modelName(), task.taskId(),
          TrainerStages.FINE_TUNED, EncoderFineTuned.class, () -> fineTuning.fineTune(task)));
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected patch task %s of model %s: %s", task.taskId(), task.modelName(), e.getMessage());
      fail(task, e.getMessage());
      return;
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError (a missing class or native library of the ML engine) fails the task, not the worker.
      LOG.errorf(e, "Fine-tuning failed for patch task %s of model %s", task.taskId(), task.modelName());
      fail(task, "Fine-tuning failed: " + e.getMessage());
      return;
    }

    publish(result);
  }

  /**
   * Publishes a stored result and records that the broker acknowledged it, so that a restart does not publish it again.
   *
   * <p>NOTE: when the broker still rejects the event after {@code paint.stage-retry.max-duration}, the task stays
   * fine-tuned but unpublished until the trainer restarts or the task is submitted again, and the model's next task
   * waits for {@code paint.trainer.predecessor-timeout}.
   */
  public void publish(EncoderFineTuned result) {
    PatchTaskSubmitted task = result.task();
    try {
      retry.run(task.taskId(), TrainerStages.PUBLISHED, () -> publisher.fineTuned(result));
    } catch (RuntimeException e) {
      LOG.errorf(e, "Publishing the fine-tuned encoder of patch task %s of model %s failed; it is published again at"
          + " the next start of the trainer", task.taskId(), task.modelName());
      return;
    }
    stages.save(task.modelName(), task.taskId(), TrainerStages.PUBLISHED, new TrainerStages.Published(Instant.now()));
  }

  /**
   * Publishes the failure first and closes the task after, so that a crash in between repeats the failure event instead
   * of losing it.
   */
  private void fail(PatchTaskSubmitted task, String reason) {
    PatchTaskFailed failure = publisher.failed(task.taskId(), task.modelName(), reason);
    stages.save(task.modelName(), task.taskId(), TrainerStages.CLOSED, failure);
  }
}
