package dev.paint.evaluator.messaging;

import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.messaging.CloudEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes chosen candidates and failures, waiting for the broker's acknowledgement of each. */
@ApplicationScoped
public class EvaluatorEventPublisher {

  public static final String SELECTED_CHANNEL = "candidate-selected";
  public static final String FAILED_CHANNEL = "patch-task-failed";
  static final String SERVICE = "evaluator-service";

  @Inject
  @Channel(SELECTED_CHANNEL)
  MutinyEmitter<String> selected;

  @Inject
  @Channel(FAILED_CHANNEL)
  MutinyEmitter<String> failed;

  public void selected(CandidateSelected event) {
    selected.sendMessageAndAwait(
        CloudEvents.outgoing(SERVICE, EventTypes.CANDIDATE_SELECTED, event.task().modelName(),
            event.task().taskId() + ":selected", event));
  }

  public void failed(String taskId, String modelName, String reason) {
    PatchTaskFailed event = new PatchTaskFailed(taskId, modelName, "evaluation", reason, Instant.now());
    String key = modelName == null ? "unknown" : modelName;
    String id = (taskId == null ? "unknown-" + System.nanoTime() : taskId) + ":evaluation-failed";
    failed.sendMessageAndAwait(CloudEvents.outgoing(SERVICE, EventTypes.PATCH_TASK_FAILED, key, id, event));
  }
}
