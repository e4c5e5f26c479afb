package dev.paint.registry.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A kafka-clients consumer that records every record of the given topics on a background thread, so a test can both
 * wait for a record and check that no further one arrives.
 */
public final class TopicRecorder implements AutoCloseable {

  /** A consumed record with its headers as strings. */
  public record Received(String topic, String key, String value, Map<String, String> headers) {}

  private final KafkaConsumer<String, String> consumer;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread pollThread;
  private volatile boolean running = true;

  public TopicRecorder(String bootstrapServers, List<String> topics) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // A fresh group per recorder, so no other test's commits hide records from it.
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID());
    // Records sent before the group's partitions were assigned must be recorded too.
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(properties);
    consumer.subscribe(topics);

    pollThread = new Thread(this::pollUntilClosed, "topic-recorder-poll");
    pollThread.setDaemon(true);
    pollThread.start();
  }

  /** Returns the records received so far on {@code topic} with key {@code key}, in arrival order. */
  public List<Received> received(String topic, String key) {
    return received.stream().filter(record -> record.topic().equals(topic) && key.equals(record.key())).toList();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    pollThread.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void pollUntilClosed() {
    try {
      while (running) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(new Received(record.topic(), record.key(), record.value(), headers(record)));
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up to end the loop.
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private static Map<String, String> headers(ConsumerRecord<String, String> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
