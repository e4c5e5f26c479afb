package dev.paint.trainer.messaging;

import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.json.Json;
import dev.paint.shared.messaging.CloudEvents;
import dev.paint.shared.storage.StageRecords;
import dev.paint.trainer.domain.TrainerStages;
import dev.paint.trainer.service.PatchTaskScheduler;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Records the end of each patch task, promoted or failed, and lets the model's next parked task start. Reads both
 * {@code paint.model.promoted} and {@code paint.patch-task.failed} on one channel.
 */
@ApplicationScoped
public class TaskOutcomeConsumer {

  public static final String CHANNEL = "task-outcomes";
  private static final Logger LOG = Logger.getLogger(TaskOutcomeConsumer.class);

  @Inject StageRecords stages;
  @Inject PatchTaskScheduler scheduler;

  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    String type = message.getMetadata(IncomingCloudEventMetadata.class).map(m -> m.getType()).orElse("");
    try {
      if (type.equals(EventTypes.MODEL_PROMOTED)) {
        ModelPromoted promoted = Json.read(message.getPayload(), ModelPromoted.class);
        close(promoted.modelName(), promoted.taskId(), promoted);
      } else if (type.equals(EventTypes.PATCH_TASK_FAILED)) {
        PatchTaskFailed failed = Json.read(message.getPayload(), PatchTaskFailed.class);
        close(failed.modelName(), failed.taskId(), failed);
      }
    } catch (UncheckedIOException | IllegalArgumentException e) {
      LOG.warnf("Ignored an unreadable task outcome from %s: %s", CloudEvents.origin(message), e.getMessage());
    }
    return message.ack();
  }

  /** Writes the closed record; imports and rollbacks carry no task id, so they close nothing. */
  private void close(String modelName, String taskId, Object outcome) {
    if (modelName == null || taskId == null) {
      return;
    }
    stages.save(modelName, taskId, TrainerStages.CLOSED, outcome);
    LOG.debugf("Patch task %s of model %s is closed", taskId, modelName);
    scheduler.taskClosed(modelName, taskId);
  }
}
