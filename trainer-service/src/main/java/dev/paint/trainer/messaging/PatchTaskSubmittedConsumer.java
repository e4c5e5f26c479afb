package dev.paint.trainer.messaging;

import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.messaging.CloudEvents;
import dev.paint.shared.storage.StageRecords;
import dev.paint.trainer.domain.SubmittedTask;
import dev.paint.trainer.domain.TrainerStages;
import dev.paint.trainer.service.PatchTaskScheduler;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes patch tasks: validates each one, records it in the object store and hands it to the
 * {@link PatchTaskScheduler}, which fine-tunes it on a worker thread. The record is acknowledged as soon as the task is
 * recorded, because the trainer resumes recorded tasks after a restart. So fine-tuning runs outside the consumer's poll
 * loop, and a model waiting for a promotion does not hold back other models' tasks. A readable task that cannot be
 * accepted is reported on the failure topic and acknowledged. A record that cannot be read as a task is reported too,
 * then nacked to the channel's dead-letter topic.
 */
@ApplicationScoped
public class PatchTaskSubmittedConsumer {

  public static final String CHANNEL = "patch-task-submitted";
  private static final Logger LOG = Logger.getLogger(PatchTaskSubmittedConsumer.class);

  @Inject TrainerEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject PatchTaskScheduler scheduler;

  /** Blocking because recording the task writes to the object store. It returns without waiting for fine-tuning. */
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
      LOG.errorf("Rejected patch task %s from %s, sending the record to the dead-letter topic: %s", taskId, origin,
          e.getMessage());
      publisher.failed(taskId, modelName, e.getMessage());
      return message.nack(e);
    }

    LOG.infof("Received patch task %s for model %s (task %s, dataset %s) from %s", task.taskId(), task.modelName(),
        task.task(), task.dataset(), origin);
    try {
      accept(task, offset(message));
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected patch task %s: %s", task.taskId(), e.getMessage());
      publisher.failed(task.taskId(), task.modelName(), e.getMessage());
    }
    return message.ack();
  }

  /**
   * Records a task the first time it is seen and schedules it. A task id that comes back with different content is
   * rejected, since its id already names other work.
   */
  private void accept(PatchTaskSubmitted task, long offset) {
    Optional<SubmittedTask> earlier =
        stages.find(task.modelName(), task.taskId(), TrainerStages.SUBMITTED, SubmittedTask.class);
    if (earlier.isPresent() && !earlier.get().task().sameContent(task)) {
      throw new InvalidEventException("Task id " + task.taskId() + " was already submitted with different content;"
          + " submit new work under a new task id");
    }
    if (earlier.isPresent()) {
      acceptAgain(earlier.get());
      return;
    }

    SubmittedTask recorded = new SubmittedTask(task, Instant.now(), offset);
    stages.save(task.modelName(), task.taskId(), TrainerStages.SUBMITTED, recorded);
    scheduler.submit(recorded);
  }

  /**
   * Handles a task delivered again: a fine-tuned task gets its stored result published again, a task still parked or
   * training is left to the scheduler, and a task that failed stays failed.
   */
  private void acceptAgain(SubmittedTask recorded) {
    PatchTaskSubmitted task = recorded.task();
    Optional<EncoderFineTuned> result =
        stages.find(task.modelName(), task.taskId(), TrainerStages.FINE_TUNED, EncoderFineTuned.class);
    if (result.isPresent()) {
      LOG.infof("Patch task %s of model %s was fine-tuned before; publishing the stored result again", task.taskId(),
          task.modelName());
      publisher.fineTuned(result.get());
      return;
    }
    if (stages.find(task.modelName(), task.taskId(), TrainerStages.CLOSED, Object.class).isPresent()) {
      LOG.infof("Patch task %s of model %s failed before; ignoring the repeated submission", task.taskId(),
          task.modelName());
      return;
    }
    scheduler.submit(recorded);
  }

  private static long offset(Message<String> message) {
    return message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getOffset)
        .orElse(-1L);
  }
}
