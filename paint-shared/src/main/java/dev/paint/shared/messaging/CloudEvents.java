package dev.paint.shared.messaging;

import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.json.Json;
import io.smallrye.reactive.messaging.ce.IncomingCloudEventMetadata;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Builds and reads paint's events: JSON payloads in CloudEvents 1.0 binary mode (the attributes travel as Kafka
 * headers), keyed by model name so that one model's events stay in order.
 */
public final class CloudEvents {

  private CloudEvents() {}

  /**
   * Wraps {@code payload} as a CloudEvent. The id is {@code <taskId>:<stage>}, so a consumer can recognise a
   * redelivered or republished event.
   */
  public static Message<String> outgoing(String service, String type, String modelName, String eventId, Object payload) {
    OutgoingCloudEventMetadata<Object> cloudEvent =
        OutgoingCloudEventMetadata.builder()
            .withId(eventId)
            .withType(type)
            .withSource(URI.create(EventTypes.SOURCE_PREFIX + service))
            .withSubject(modelName)
            .withDataContentType("application/json")
            .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
            .build();
    OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder().withKey(modelName).build();
    return Message.of(Json.write(payload)).addMetadata(cloudEvent).addMetadata(kafka);
  }

  /**
   * Parses an incoming record's JSON payload after checking its CloudEvents type. A record without CloudEvents headers
   * is accepted as plain JSON, so that a producer without CloudEvents support can still submit work.
   *
   * @throws InvalidEventException for an unknown type or version, malformed JSON or a missing field
   */
  public static <T> T parse(Message<String> message, String expectedType, Class<T> payloadType) {
    Optional<String> type = message.getMetadata(IncomingCloudEventMetadata.class).map(m -> m.getType());
    if (type.isPresent() && !type.get().equals(expectedType)) {
      throw new InvalidEventException(
          "Unsupported event type '" + type.get() + "': this consumer reads '" + expectedType
              + "'; upgrade the consumer or publish the supported version");
    }
    String payload = message.getPayload();
    if (payload == null || payload.isBlank()) {
      throw new InvalidEventException("Empty event payload: expected a JSON " + payloadType.getSimpleName());
    }
    try {
      return Json.read(payload, payloadType);
    } catch (UncheckedIOException e) {
      throw new InvalidEventException(rootMessage(e), e);
    }
  }

  /** Describes where a record came from (topic, partition, offset), for log messages. */
  public static String origin(Message<?> message) {
    return message.getMetadata(IncomingKafkaRecordMetadata.class)
        .map(m -> m.getTopic() + "-" + m.getPartition() + "@" + m.getOffset())
        .orElse("unknown record");
  }

  /**
   * Reads one top-level text field of a payload that failed to parse as a whole, so that a rejected task can still be
   * reported under its id. Returns null when the payload is not a JSON object or lacks the field.
   */
  public static String textField(String payload, String field) {
    try {
      JsonNode node = Json.mapper().readTree(payload).get(field);
      return node != null && node.isTextual() ? node.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Returns the deepest cause's message, because Jackson wraps the record constructor's InvalidEventException. */
  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof InvalidEventException) {
      return cause.getMessage();
    }
    return error.getMessage();
  }
}
