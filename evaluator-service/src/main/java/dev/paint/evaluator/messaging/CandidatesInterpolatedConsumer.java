package dev.paint.evaluator.messaging;

import dev.paint.evaluator.service.CoarseToFineEvaluation;
import dev.paint.evaluator.service.EvaluationService;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.messaging.CloudEvents;
import dev.paint.shared.messaging.StageRetry;
import dev.paint.shared.storage.StageRecords;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes interpolated candidates and chooses alpha on validation data: at once for a grid search, after the last
 * round for a coarse-to-fine search, which requests each earlier round's successor instead.
 */
@ApplicationScoped
public class CandidatesInterpolatedConsumer {

  public static final String CHANNEL = "candidates-interpolated";
  /** Redelivered events find this stage record and republish it instead of repeating the work. */
  static final String STAGE = CoarseToFineEvaluation.SELECTED_STAGE;
  private static final Logger LOG = Logger.getLogger(CandidatesInterpolatedConsumer.class);

  @Inject EvaluationService evaluation;
  @Inject CoarseToFineEvaluation search;
  @Inject EvaluatorEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject StageRetry retry;

  /**
   * Blocking because it evaluates candidates; acknowledged only once the choice or the next round's request is
   * published. A stage that still fails transiently after paint.stage-retry.max-duration is nacked, not reported as
   * failed.
   */
  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    CandidatesInterpolated event;
    try {
      event = CloudEvents.parse(message, EventTypes.CANDIDATES_INTERPOLATED, CandidatesInterpolated.class);
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected candidates event from %s, sending the record to the dead-letter topic: %s",
          CloudEvents.origin(message), e.getMessage());
      publisher.failed(null, null, e.getMessage());
      return message.nack(e);
    }

    String taskId = event.task().taskId();
    try {
      retry.run(taskId, STAGE, () -> evaluateOnce(event));
    } catch (RuntimeException | LinkageError e) {
      if (StageRetry.isTransient(e)) {
        LOG.errorf(e, "Evaluation of patch task %s of model %s still fails transiently; nacking the record, so it"
            + " goes to the dead-letter topic for replay once the object store and broker are reachable", taskId,
            event.task().modelName());
        return message.nack(e);
      }
      // A LinkageError (a missing class or native library of the ML engine) fails the task, not the whole channel.
      LOG.errorf(e, "Evaluation failed for patch task %s of model %s", taskId, event.task().modelName());
      publisher.failed(taskId, event.task().modelName(), "Evaluation failed: " + e.getMessage());
    }
    return message.ack();
  }

  /** Evaluates one round of the task's search, or its whole grid, and publishes what comes next. */
  private void evaluateOnce(CandidatesInterpolated event) {
    if (event.search() == AlphaSearch.COARSE_TO_FINE) {
      CoarseToFineEvaluation.RoundOutcome outcome = search.evaluateRound(event);
      outcome.request().ifPresent(publisher::requested);
      outcome.selected().ifPresent(publisher::selected);
      return;
    }

    CandidateSelected result = stages.once(event.task().modelName(), event.task().taskId(), STAGE,
        CandidateSelected.class, () -> evaluation.evaluate(event));
    publisher.selected(result);
  }
}
