package dev.paint.interpolator.messaging;

import dev.paint.interpolator.service.InterpolationService;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CandidatesRequested;
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

/** Consumes the evaluator's requests for a later round of a coarse-to-fine search and writes only those candidates. */
@ApplicationScoped
public class CandidatesRequestedConsumer {

  public static final String CHANNEL = "candidates-requested";
  private static final Logger LOG = Logger.getLogger(CandidatesRequestedConsumer.class);

  @Inject InterpolationService interpolation;
  @Inject InterpolatorEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject StageRetry retry;

  /** Returns the stage record name of one round, which a redelivered request for that round republishes. */
  static String stage(int round) {
    return "interpolated-round-" + round;
  }

  /**
   * Blocking because it reads and writes checkpoints; acknowledged only once the round's event is published. A stage
   * that still fails transiently after paint.stage-retry.max-duration is nacked, not reported as failed.
   */
  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    CandidatesRequested event;
    try {
      event = CloudEvents.parse(message, EventTypes.CANDIDATES_REQUESTED, CandidatesRequested.class);
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected candidates request from %s, sending the record to the dead-letter topic: %s",
          CloudEvents.origin(message), e.getMessage());
      publisher.failed(null, null, e.getMessage());
      return message.nack(e);
    }

    String taskId = event.task().taskId();
    String modelName = event.task().modelName();
    try {
      retry.run(taskId, stage(event.round()), () -> interpolateOnce(event));
    } catch (RuntimeException | LinkageError e) {
      if (StageRetry.isTransient(e)) {
        LOG.errorf(e, "Interpolation of round %d of patch task %s of model %s still fails transiently; nacking the"
            + " record, so it goes to the dead-letter topic for replay once the object store and broker are reachable",
            event.round(), taskId, modelName);
        return message.nack(e);
      }
      // A LinkageError (a missing class or native library of the ML engine) fails the task, not the whole channel.
      LOG.errorf(e, "Interpolation of round %d failed for patch task %s of model %s", event.round(), taskId,
          modelName);
      publisher.failed(taskId, modelName, "Interpolation of round " + event.round() + " failed: " + e.getMessage());
    }
    return message.ack();
  }

  private void interpolateOnce(CandidatesRequested event) {
    CandidatesInterpolated result = stages.once(event.task().modelName(), event.task().taskId(), stage(event.round()),
        CandidatesInterpolated.class, () -> interpolation.interpolate(event));
    publisher.interpolated(result);
  }
}
