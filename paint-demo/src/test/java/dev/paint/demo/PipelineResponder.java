package dev.paint.demo;

import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Stands in for the four services on a real broker. It reads the patch tasks of one model and passes each to {@code
 * handler}, which publishes events through {@link #publish}. It records when each task arrived and each event was
 * sent.
 */
final class PipelineResponder implements AutoCloseable {

  /** One record the responder received or sent, with the time it did so. */
  record Step(String description, Instant at) {}

  private final String modelName;
  private final KafkaConsumer<String, String> consumer;
  private final KafkaProducer<String, String> producer;
  private final BiConsumer<PipelineResponder, PatchTaskSubmitted> handler;
  private final List<Step> steps = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;

  PipelineResponder(String bootstrapServers, String modelName, BiConsumer<PipelineResponder, PatchTaskSubmitted> handler) {
    this.modelName = modelName;
    this.handler = handler;
    this.consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "responder-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    this.producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    consumer.subscribe(List.of(Topics.PATCH_TASK_SUBMITTED));
    this.thread = new Thread(this::handleUntilClosed, "pipeline-responder");
    thread.start();
  }

  /** Publishes the evaluator's selection of alpha 0.5, then the registry's promotion of the next version. */
  static void promote(PipelineResponder responder, PatchTaskSubmitted task) {
    int baseVersion = 1 + (int) responder.steps().stream().filter(s -> s.description().startsWith("promoted")).count();
    CandidateSelected selected = SampleEvents.selected(task, baseVersion);
    responder.publish(Topics.CANDIDATE_SELECTED, EventTypes.CANDIDATE_SELECTED, task, selected);
    responder.publish(Topics.MODEL_PROMOTED, EventTypes.MODEL_PROMOTED, task, SampleEvents.promoted(selected));
  }

  /** Sends {@code payload} as a CloudEvent keyed by the task's model and records it as "<topic suffix> <task id>". */
  void publish(String topic, String type, PatchTaskSubmitted task, Object payload) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, task.modelName(), Json.write(payload),
        CloudEventHeaders.binaryMode(task.taskId() + ":" + topic, type, task.modelName(), Instant.now()));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("Sending to " + topic + " failed", e);
    }
    String event = topic.equals(Topics.MODEL_PROMOTED) ? "promoted" : topic.substring(topic.lastIndexOf('.') + 1);
    steps.add(new Step(event + " " + task.taskId(), Instant.now()));
  }

  /** Sends the task's JSON to {@code topic} as SmallRye's dead-letter-queue failure strategy does, with its reason. */
  void publishDeadLetter(String topic, PatchTaskSubmitted task, String reason) {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, task.modelName(), Json.write(task));
    record.headers().add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get();
    } catch (Exception e) {
      throw new IllegalStateException("Sending to " + topic + " failed", e);
    }
    steps.add(new Step("dead-lettered " + task.taskId(), Instant.now()));
  }

  List<Step> steps() {
    return List.copyOf(steps);
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    consumer.wakeup();
    thread.join(Duration.ofSeconds(10).toMillis());
    producer.close();
  }

  private void handleUntilClosed() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (!modelName.equals(record.key())) {
            continue;
          }
          PatchTaskSubmitted task = Json.read(record.value(), PatchTaskSubmitted.class);
          steps.add(new Step("submitted " + task.taskId(), Instant.now()));
          handler.accept(this, task);
        }
      }
    } catch (WakeupException e) {
      // close() stops the loop.
    } finally {
      consumer.close();
    }
  }
}
