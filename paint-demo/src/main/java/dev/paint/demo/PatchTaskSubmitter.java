package dev.paint.demo;

import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes patch tasks on {@link Topics#PATCH_TASK_SUBMITTED}, as JSON CloudEvents keyed by model name. */
public final class PatchTaskSubmitter implements AutoCloseable {

  private static final long SEND_TIMEOUT_SECONDS = 30;

  private final KafkaProducer<String, String> producer;

  public PatchTaskSubmitter(String bootstrapServers) {
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        // A task counts as submitted only once the broker has written it.
        ProducerConfig.ACKS_CONFIG, "all",
        // A retried send must not submit the same task twice.
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  /**
   * Sends {@code task} and waits until the broker acknowledged it.
   *
   * @throws DemoFailedException when the broker does not acknowledge the record within 30 s
   */
  public void submit(PatchTaskSubmitted task) {
    try {
      producer.send(record(task)).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new DemoFailedException("Submitting patch task " + task.taskId() + " to topic "
          + Topics.PATCH_TASK_SUBMITTED + " failed: " + e + "; check the broker log", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailedException("Interrupted while submitting patch task " + task.taskId(), e);
    }
  }

  /** Returns the Kafka record of {@code task}: key model name, JSON value, CloudEvents headers with id "<taskId>:submitted". */
  static ProducerRecord<String, String> record(PatchTaskSubmitted task) {
    return new ProducerRecord<>(
        Topics.PATCH_TASK_SUBMITTED,
        null,
        task.modelName(),
        Json.write(task),
        CloudEventHeaders.binaryMode(
            task.taskId() + ":submitted", EventTypes.PATCH_TASK_SUBMITTED, task.modelName(), task.submittedAt()));
  }

  @Override
  public void close() {
    producer.close();
  }
}
