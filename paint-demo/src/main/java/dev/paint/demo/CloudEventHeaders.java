package dev.paint.demo;

import dev.paint.shared.event.EventTypes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * CloudEvents 1.0 attributes as Kafka headers in binary content mode: each attribute is a header named {@code ce_}
 * plus the attribute name, and the data's media type is the {@code content-type} header (CloudEvents Kafka protocol
 * binding v1.0.2, section 3.2). The record's value is the event data itself.
 */
public final class CloudEventHeaders {

  public static final String SPEC_VERSION = "1.0";

  /** Source of every event the demo publishes. */
  public static final String DEMO_SOURCE = EventTypes.SOURCE_PREFIX + "demo";

  static final String SPEC_VERSION_HEADER = "ce_specversion";
  static final String ID_HEADER = "ce_id";
  static final String SOURCE_HEADER = "ce_source";
  static final String TYPE_HEADER = "ce_type";
  static final String SUBJECT_HEADER = "ce_subject";
  static final String TIME_HEADER = "ce_time";
  static final String CONTENT_TYPE_HEADER = "content-type";

  private CloudEventHeaders() {}

  /**
   * Returns the headers of a JSON event from the demo.
   *
   * @param id unique per event, {@code <taskId>:<stage>} by the services' convention
   * @param subject the model name, the key every pipeline event carries
   * @param time when the event happened, written as RFC 3339
   */
  public static List<Header> binaryMode(String id, String type, String subject, Instant time) {
    return List.of(
        header(SPEC_VERSION_HEADER, SPEC_VERSION),
        header(ID_HEADER, id),
        header(SOURCE_HEADER, DEMO_SOURCE),
        header(TYPE_HEADER, type),
        header(SUBJECT_HEADER, subject),
        header(TIME_HEADER, time.toString()),
        header(CONTENT_TYPE_HEADER, "application/json"));
  }

  /** Returns the value of the last header named {@code name} as UTF-8 text, or null when there is none. */
  public static String value(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static Header header(String name, String value) {
    return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
