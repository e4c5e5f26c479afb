package dev.paint.interpolator.messaging;

import dev.paint.interpolator.service.InterpolationService;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.CandidatesInterpolated;
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

/** Consumes fine-tuned encoders and interpolates each against the base version it was trained from. */
@ApplicationScoped
public class EncoderFineTunedConsumer {

  public static final String CHANNEL = "encoder-fine-tuned";
  /** Redelivered events find this stage record and republish it instead of repeating the work. */
  static final String STAGE = "interpolated";
  private static final Logger LOG = Logger.getLogger(EncoderFineTunedConsumer.class);

  @Inject InterpolationService interpolation;
  @Inject InterpolatorEventPublisher publisher;
  @Inject StageRecords stages;
  @Inject StageRetry retry;

  /**
   * Blocking because it reads and writes checkpoints; acknowledged only once the candidates' event is published. A
   * stage that still fails transiently after paint.stage-retry.max-duration is nacked, not reported as failed.
   */
  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    EncoderFineTuned event;
    try {
      event = CloudEvents.parse(message, EventTypes.ENCODER_FINE_TUNED, EncoderFineTuned.class);
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected fine-tuned event from %s, sending the record to the dead-letter topic: %s",
          CloudEvents.origin(message), e.getMessage());
      publisher.failed(null, null, e.getMessage());
      return message.nack(e);
    }

    String taskId = event.task().taskId();
    try {
      retry.run(taskId, STAGE, () -> interpolateOnce(event));
    } catch (RuntimeException | LinkageError e) {
      if (StageRetry.isTransient(e)) {
        LOG.errorf(e, "Interpolation of patch task %s of model %s still fails transiently; nacking the record, so it"
            + " goes to the dead-letter topic for replay once the object store and broker are reachable", taskId,
            event.task().modelName());
        return message.nack(e);
      }
      // A LinkageError (a missing class or native library of the ML engine) fails the task, not the whole channel.
      LOG.errorf(e, "Interpolation failed for patch task %s of model %s", taskId, event.task().modelName());
      publisher.failed(taskId, event.task().modelName(), "Interpolation failed: " + e.getMessage());
    }
    return message.ack();
  }

  private CandidatesInterpolated interpolateOnce(EncoderFineTuned event) {
    CandidatesInterpolated result = stages.once(event.task().modelName(), event.task().taskId(), STAGE,
        CandidatesInterpolated.class, () -> interpolation.interpolate(event));
    publisher.interpolated(result);
    return result;
  }
}
