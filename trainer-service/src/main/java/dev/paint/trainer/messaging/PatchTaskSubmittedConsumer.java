package dev.paint.trainer.messaging;

import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.messaging.CloudEvents;
import dev.paint.shared.storage.StageRecords;
import dev.paint.trainer.service.FineTuningService;
import dev.paint.trainer.service.SequentialPatching;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes patch tasks and fine-tunes the deployed encoder on each. A task that cannot be trained is reported on the
 * failure topic and acknowledged, so one bad task never blocks the next one.
 */
@ApplicationScoped
public class PatchTaskSubmittedConsumer {

  public static final String CHANNEL = "patch-task-submitted";
  static final String SUBMITTED_STAGE = "submitted";
  private static final Logger LOG = Logger.getLogger(PatchTaskSubmittedConsumer.class);

  @Inject FineTuningService fineTuning;
  @Inject TrainerEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject SequentialPatching sequence;

  /** Blocking because fine-tuning takes minutes; the record is acknowledged only once the result is published. */
  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    String origin = CloudEvents.origin(message);
    PatchTaskSubmitted task;
    try {
      task = CloudEvents.parse(message, EventTypes.PATCH_TASK_SUBMITTED, PatchTaskSubmitted.class);
    } catch (InvalidEventException e) {
      String taskId = CloudEvents.textField(message.getPayload(), "taskId");
      String modelName = CloudEvents.textField(message.getPayload(), "modelName");
      LOG.errorf("Rejected patch task %s from %s: %s", taskId, origin, e.getMessage());
      publisher.failed(taskId, modelName, e.getMessage());
      return message.ack();
    }

    LOG.infof("Received patch task %s for model %s (task %s, dataset %s) from %s", task.taskId(), task.modelName(),
        task.task(), task.dataset(), origin);
    try {
      publisher.fineTuned(fineTuneOnce(task));
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected patch task %s: %s", task.taskId(), e.getMessage());
      publisher.failed(task.taskId(), task.modelName(), e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError (a missing class or native library of the ML engine) fails the task, not the whole channel.
      LOG.errorf(e, "Fine-tuning failed for patch task %s of model %s", task.taskId(), task.modelName());
      publisher.failed(task.taskId(), task.modelName(), "Fine-tuning failed: " + e.getMessage());
    }
    return message.ack();
  }

  /**
   * Fine-tunes a task the first time it is seen; a redelivery gets the stored result again. A task id that comes back
   * with different content is rejected, since its id already names other work.
   */
  private EncoderFineTuned fineTuneOnce(PatchTaskSubmitted task) {
    Optional<PatchTaskSubmitted> earlier =
        stages.find(task.modelName(), task.taskId(), SUBMITTED_STAGE, PatchTaskSubmitted.class);
    if (earlier.isPresent() && !earlier.get().sameContent(task)) {
      throw new InvalidEventException("Task id " + task.taskId() + " was already submitted with different content;"
          + " submit new work under a new task id");
    }
    if (earlier.isEmpty()) {
      stages.save(task.modelName(), task.taskId(), SUBMITTED_STAGE, task);
    }

    return stages.once(task.modelName(), task.taskId(), SequentialPatching.STARTED_STAGE, EncoderFineTuned.class,
        () -> {
          sequence.awaitPredecessors(task);
          return fineTuning.fineTune(task);
        });
  }
}
