package dev.paint.cli;

import dev.paint.demo.CloudEventHeaders;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes patch tasks on {@link Topics#PATCH_TASK_SUBMITTED} as JSON CloudEvents in binary mode, keyed by model
 * name, with source {@value #SOURCE}.
 *
 * <p>NOTE: paint-demo's PatchTaskSubmitter does the same with source {@code urn:paint:demo} fixed, so this class builds
 * its headers with the demo's {@link CloudEventHeaders} and replaces the source header.
 */
public final class PatchTaskPublisher implements AutoCloseable {

  /** CloudEvents source of every event the CLI publishes. */
  public static final String SOURCE = EventTypes.SOURCE_PREFIX + "cli";

  static final String SOURCE_HEADER = "ce_source";

  private static final long SEND_TIMEOUT_SECONDS = 30;
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  private final KafkaProducer<String, String> producer;
  private final String bootstrapServers;

  public PatchTaskPublisher(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        // A task counts as submitted only once every in-sync replica has written it.
        ProducerConfig.ACKS_CONFIG, "all",
        // A retried send must not submit the same task twice.
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        // An unreachable broker fails the command after 30 s instead of the default 60 s wait for metadata.
        ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TimeUnit.SECONDS.toMillis(SEND_TIMEOUT_SECONDS)),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  /**
   * Sends {@code task} and waits until the broker acknowledged it.
   *
   * @throws CommandFailedException when the broker does not acknowledge the record within 30 s
   */
  public void publish(PatchTaskSubmitted task) {
    try {
      producer.send(record(task)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new CommandFailedException("Publishing patch task " + task.taskId() + " to topic "
          + Topics.PATCH_TASK_SUBMITTED + " at " + bootstrapServers + " failed: " + cause + "; check "
          + ConnectionOptions.BOOTSTRAP_SERVERS + " and that the broker runs", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException("Interrupted while publishing patch task " + task.taskId(), e);
    }
  }

  /** Returns the Kafka record of {@code task}: key model name, JSON value, CloudEvents id "<taskId>:submitted". */
  static ProducerRecord<String, String> record(PatchTaskSubmitted task) {
    List<Header> headers = CloudEventHeaders.binaryMode(
            task.taskId() + ":submitted", EventTypes.PATCH_TASK_SUBMITTED, task.modelName(), task.submittedAt())
        .stream()
        .map(header -> header.key().equals(SOURCE_HEADER)
            ? new RecordHeader(SOURCE_HEADER, SOURCE.getBytes(StandardCharsets.UTF_8))
            : header)
        .toList();
    return new ProducerRecord<>(Topics.PATCH_TASK_SUBMITTED, null, task.modelName(), Json.write(task), headers);
  }

  @Override
  public void close() {
    producer.close(CLOSE_TIMEOUT);
  }
}
