package dev.paint.evaluator.messaging;

import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesRequested;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.messaging.CloudEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes chosen candidates, requests for more candidates and failures, waiting for the broker's acknowledgement of each. */
@ApplicationScoped
public class EvaluatorEventPublisher {

  public static final String SELECTED_CHANNEL = "candidate-selected";
  public static final String REQUESTED_CHANNEL = "candidates-requested";
  public static final String FAILED_CHANNEL = "patch-task-failed";
  static final String SERVICE = "evaluator-service";

  @Inject
  @Channel(SELECTED_CHANNEL)
  MutinyEmitter<String> selected;

  @Inject
  @Channel(REQUESTED_CHANNEL)
  MutinyEmitter<String> requested;

  @Inject
  @Channel(FAILED_CHANNEL)
  MutinyEmitter<String> failed;

  public void selected(CandidateSelected event) {
    selected.sendMessageAndAwait(
        CloudEvents.outgoing(SERVICE, EventTypes.CANDIDATE_SELECTED, event.task().modelName(),
            event.task().taskId() + ":selected", event));
  }

  /** Requests the candidates of a search's next round; the id names the round, so redeliveries are recognisable. */
  public void requested(CandidatesRequested event) {
    requested.sendMessageAndAwait(
        CloudEvents.outgoing(SERVICE, EventTypes.CANDIDATES_REQUESTED, event.task().modelName(),
            event.task().taskId() + ":requested-round-" + event.round(), event));
  }

  public void failed(String taskId, String modelName, String reason) {
    PatchTaskFailed event = new PatchTaskFailed(taskId, modelName, "evaluation", reason, Instant.now());
    String key = modelName == null ? "unknown" : modelName;
    String id = (taskId == null ? "unknown-" + System.nanoTime() : taskId) + ":evaluation-failed";
    failed.sendMessageAndAwait(CloudEvents.outgoing(SERVICE, EventTypes.PATCH_TASK_FAILED, key, id, event));
  }
}
