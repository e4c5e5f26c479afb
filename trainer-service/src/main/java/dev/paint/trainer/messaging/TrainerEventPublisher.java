package dev.paint.trainer.messaging;

import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.messaging.CloudEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes the trainer's results and failures, waiting for the broker's acknowledgement of each. */
@ApplicationScoped
public class TrainerEventPublisher {

  public static final String FINE_TUNED_CHANNEL = "encoder-fine-tuned";
  public static final String FAILED_CHANNEL = "patch-task-failed";
  static final String SERVICE = "trainer-service";

  @Inject
  @Channel(FINE_TUNED_CHANNEL)
  MutinyEmitter<String> fineTuned;

  @Inject
  @Channel(FAILED_CHANNEL)
  MutinyEmitter<String> failed;

  public void fineTuned(EncoderFineTuned event) {
    String modelName = event.task().modelName();
    fineTuned.sendMessageAndAwait(
        CloudEvents.outgoing(SERVICE, EventTypes.ENCODER_FINE_TUNED, modelName, event.task().taskId() + ":fine-tuned",
            event));
  }

  /** Publishes a training failure and returns the published event. */
  public PatchTaskFailed failed(String taskId, String modelName, String reason) {
    PatchTaskFailed event = new PatchTaskFailed(taskId, modelName, "training", reason, Instant.now());
    String key = modelName == null ? "unknown" : modelName;
    String id = (taskId == null ? "unknown-" + System.nanoTime() : taskId) + ":training-failed";
    failed.sendMessageAndAwait(CloudEvents.outgoing(SERVICE, EventTypes.PATCH_TASK_FAILED, key, id, event));
    return event;
  }
}
