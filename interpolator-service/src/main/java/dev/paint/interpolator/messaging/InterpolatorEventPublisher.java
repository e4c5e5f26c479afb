package dev.paint.interpolator.messaging;

import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.messaging.CloudEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes stored candidates and failures, waiting for the broker's acknowledgement of each. */
@ApplicationScoped
public class InterpolatorEventPublisher {

  public static final String INTERPOLATED_CHANNEL = "candidates-interpolated";
  public static final String FAILED_CHANNEL = "patch-task-failed";
  static final String SERVICE = "interpolator-service";

  @Inject
  @Channel(INTERPOLATED_CHANNEL)
  MutinyEmitter<String> interpolated;

  @Inject
  @Channel(FAILED_CHANNEL)
  MutinyEmitter<String> failed;

  /** Publishes one round's candidates. Round 1 keeps the id it had before rounds existed. */
  public void interpolated(CandidatesInterpolated event) {
    String stage = event.round() == 1
        ? EncoderFineTunedConsumer.STAGE : CandidatesRequestedConsumer.stage(event.round());
    interpolated.sendMessageAndAwait(
        CloudEvents.outgoing(SERVICE, EventTypes.CANDIDATES_INTERPOLATED, event.task().modelName(),
            event.task().taskId() + ":" + stage, event));
  }

  public void failed(String taskId, String modelName, String reason) {
    PatchTaskFailed event = new PatchTaskFailed(taskId, modelName, "interpolation", reason, Instant.now());
    String key = modelName == null ? "unknown" : modelName;
    String id = (taskId == null ? "unknown-" + System.nanoTime() : taskId) + ":interpolation-failed";
    failed.sendMessageAndAwait(CloudEvents.outgoing(SERVICE, EventTypes.PATCH_TASK_FAILED, key, id, event));
  }
}
