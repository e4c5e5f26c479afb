package dev.paint.registry.messaging;

import dev.paint.registry.service.PromotionEvents;
import dev.paint.registry.service.PromotionOutcome;
import dev.paint.registry.service.PromotionService;
import dev.paint.registry.service.RegistryMetrics;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.messaging.StageRetry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
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
 * Consumes {@link Topics#CANDIDATE_SELECTED} and hands each selected candidate to {@link PromotionService#promote}.
 * A malformed record is logged, reported as {@link PatchTaskFailed} when its task id is readable, and nacked to the
 * dead-letter topic, so the next record is still processed. A promotion that fails transiently (object store or broker unavailable) runs
 * again under {@link StageRetry}. If it still fails after paint.stage-retry.max-duration, the record is nacked without
 * a failure event, which sends it to the dead-letter topic for replay. Any other failure is nacked and reported.
 */
@ApplicationScoped
public class CandidateSelectedConsumer {

  /** Incoming channel of {@link Topics#CANDIDATE_SELECTED}. */
  public static final String CHANNEL = "candidate-selected";

  private static final Logger LOG = Logger.getLogger(CandidateSelectedConsumer.class);
  private static final String UNKNOWN_MODEL = "unknown";

  private final PromotionService promotions;
  private final PromotionEvents events;
  private final RegistryMetrics metrics;
  private final StageRetry retry;

  @Inject
  public CandidateSelectedConsumer(
      PromotionService promotions, PromotionEvents events, RegistryMetrics metrics, StageRetry retry) {
    this.promotions = promotions;
    this.events = events;
    this.metrics = metrics;
    this.retry = retry;
  }

  /**
   * Promotes one selected candidate. Blocking and ordered because a promotion reads and writes the object store and
   * waits for the broker, and one model's candidates must be decided in the order they were selected.
   */
  @Incoming(CHANNEL)
  @Blocking(ordered = true)
  public CompletionStage<Void> consume(Message<String> message) {
    CandidateSelected event;
    try {
      event = parse(message);
    } catch (RuntimeException e) {
      rejectMalformed(message, e);
      return message.nack(e);
    }

    try {
      retry.run(event.task().taskId(), PromotionService.STAGE, () -> promotions.promote(event));
      return message.ack();
    } catch (RuntimeException e) {
      if (StageRetry.isTransient(e)) {
        LOG.errorf(
            e, "Promotion of task %s of model '%s' from %s still fails transiently; the record goes to the dead-letter"
                + " topic for replay once the object store and broker are reachable",
            event.task().taskId(), event.base().modelName(), position(message));
        return message.nack(e);
      }
      LOG.errorf(
          e, "Promotion of task %s of model '%s' from %s failed; the record goes to the dead-letter topic",
          event.task().taskId(), event.base().modelName(), position(message));
      reportUnfinished(event, e);
      return message.nack(e);
    }
  }

  /** Parses the record, accepting only the CloudEvents type this registry understands. */
  static CandidateSelected parse(Message<String> message) {
    Optional<IncomingCloudEventMetadata> cloudEvent = message.getMetadata(IncomingCloudEventMetadata.class);
    if (cloudEvent.isEmpty()) {
      throw new InvalidEventException(
          "Missing CloudEvents headers: records of " + Topics.CANDIDATE_SELECTED + " must carry ce_type "
              + EventTypes.CANDIDATE_SELECTED + " in binary mode");
    }
    String type = cloudEvent.get().getType();
    if (!EventTypes.CANDIDATE_SELECTED.equals(type)) {
      throw new InvalidEventException(
          "Unsupported CloudEvents type '" + type + "': this registry reads " + EventTypes.CANDIDATE_SELECTED);
    }

    String payload = message.getPayload();
    CandidateSelected event = payload == null ? null : Json.read(payload, CandidateSelected.class);
    if (event == null) {
      throw new InvalidEventException("Empty record value: expected a CandidateSelected JSON object");
    }
    return event;
  }

  private void rejectMalformed(Message<String> message, RuntimeException error) {
    RecordIdentity identity = RecordIdentity.of(message.getPayload(), recordKey(message));
    String reason = "Invalid CandidateSelected record at " + position(message) + ": " + error.getMessage();
    LOG.errorf("%s (task %s, model %s); sending the record to the dead-letter topic", reason, identity.taskId(),
        identity.modelName());
    metrics.promotion(
        identity.modelName() == null ? UNKNOWN_MODEL : identity.modelName(), PromotionOutcome.Status.FAILED);

    if (identity.taskId() != null) {
      sendFailure(identity.taskId(), identity.modelName(), reason + "; fix the producer and resubmit the task");
    }
  }

  /** Reports the task as failed unless it was promoted and only the announcement of its promotion failed. */
  private void reportUnfinished(CandidateSelected event, RuntimeException error) {
    String taskId = event.task().taskId();
    String modelName = event.base().modelName();
    try {
      if (promotions.versionOfTask(modelName, taskId).isPresent()) {
        return;
      }
    } catch (RuntimeException e) {
      LOG.debugf("Cannot tell whether task %s was promoted: %s", taskId, e.getMessage());
    }
    sendFailure(
        taskId, modelName, "Promotion failed: " + error.getMessage() + "; resubmit the task when the registry's"
            + " object store and broker are reachable");
  }

  private void sendFailure(String taskId, String modelName, String reason) {
    try {
      events.patchTaskFailed(
          new PatchTaskFailed(taskId, modelName, PromotionService.STAGE, reason, Instant.now()),
          taskId + ":" + PromotionService.STAGE);
    } catch (RuntimeException e) {
      LOG.errorf(e, "Cannot send PatchTaskFailed for task %s of model '%s'", taskId, modelName);
    }
  }

  private static Object recordKey(Message<String> message) {
    return message.getMetadata(IncomingKafkaRecordMetadata.class).map(IncomingKafkaRecordMetadata::getKey)
        .orElse(null);
  }

  private static String position(Message<String> message) {
    return message.getMetadata(IncomingKafkaRecordMetadata.class)
        .map(record -> "topic " + record.getTopic() + " partition " + record.getPartition() + " offset "
            + record.getOffset())
        .orElse("channel " + CHANNEL);
  }
}
