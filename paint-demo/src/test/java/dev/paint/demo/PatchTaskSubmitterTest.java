package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PatchTaskSubmitterTest {

  private final PatchTaskSubmitted task = SampleEvents.submitted("paint-demo-mnist-1a2b", "paint-demo", "mnist");

  @Test
  void recordIsKeyedByModelName() {
    ProducerRecord<String, String> record = PatchTaskSubmitter.record(task);

    assertThat(record.topic()).isEqualTo(Topics.PATCH_TASK_SUBMITTED);
    assertThat(record.key()).isEqualTo("paint-demo");
    assertThat(record.partition()).isNull();
  }

  @Test
  void recordValueReadsBackAsTask() {
    ProducerRecord<String, String> record = PatchTaskSubmitter.record(task);

    assertThat(Json.read(record.value(), PatchTaskSubmitted.class)).isEqualTo(task);
  }

  @Test
  void recordCarriesCloudEventsBinaryHeaders() {
    ProducerRecord<String, String> record = PatchTaskSubmitter.record(task);

    assertThat(CloudEventHeaders.value(record.headers(), "ce_specversion")).isEqualTo("1.0");
    assertThat(CloudEventHeaders.value(record.headers(), "ce_id")).isEqualTo("paint-demo-mnist-1a2b:submitted");
    assertThat(CloudEventHeaders.value(record.headers(), "ce_source")).isEqualTo("urn:paint:demo");
    assertThat(CloudEventHeaders.value(record.headers(), "ce_type")).isEqualTo(EventTypes.PATCH_TASK_SUBMITTED);
    assertThat(CloudEventHeaders.value(record.headers(), "ce_subject")).isEqualTo("paint-demo");
    assertThat(CloudEventHeaders.value(record.headers(), "ce_time")).isEqualTo("2025-01-02T03:04:05Z");
    assertThat(CloudEventHeaders.value(record.headers(), "content-type")).isEqualTo("application/json");
  }

  @Test
  void missingHeaderReadsAsNull() {
    ProducerRecord<String, String> record = PatchTaskSubmitter.record(task);

    assertThat(CloudEventHeaders.value(record.headers(), "ce_dataschema")).isNull();
  }
}
