package dev.paint.testing;

import dev.paint.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends and reads paint's events on a real broker with plain kafka-clients, as another service would. */
public final class KafkaEvents {

  private KafkaEvents() {}

  /** Publishes {@code payload} as JSON in CloudEvents binary mode, keyed by {@code key}, and waits for the broker. */
  public static void publish(String bootstrapServers, String topic, String key, String type, Object payload) {
    publishRaw(bootstrapServers, topic, key, type, payload instanceof String text ? text : Json.write(payload));
  }

  /** Publishes a raw value; {@code type} null sends no CloudEvents headers at all. */
  public static void publishRaw(String bootstrapServers, String topic, String key, String type, String value) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties)) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
      if (type != null) {
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", UUID.randomUUID().toString());
        header(record, "ce_source", "urn:paint:test");
        header(record, "ce_type", type);
        header(record, "content-type", "application/json");
      }
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Publishing to " + topic + " at " + bootstrapServers + " failed", e);
    }
  }

  /**
   * Reads {@code topic} from the beginning until a record matching {@code predicate} arrives, and returns every record
   * read so far; fails when none matched within {@code timeout}.
   */
  public static List<ConsumerRecord<String, String>> awaitRecord(
      String bootstrapServers, String topic, Predicate<ConsumerRecord<String, String>> predicate, Duration timeout) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          seen.add(record);
          if (predicate.test(record)) {
            return seen;
          }
        }
      }
    }
    throw new AssertionError("No matching record on " + topic + " within " + timeout + "; read " + seen.size()
        + " records: " + seen.stream().map(ConsumerRecord::value).toList());
  }

  /**
   * Reads {@code topics} from the beginning until a record matching {@code predicate} arrives on any of them, and
   * returns that record; fails when none matched within {@code timeout}.
   */
  public static ConsumerRecord<String, String> awaitFirst(
      String bootstrapServers, List<String> topics, Predicate<ConsumerRecord<String, String>> predicate,
      Duration timeout) {
    int seen = 0;
    try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(topics);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          if (predicate.test(record)) {
            return record;
          }
        }
      }
    }
    throw new AssertionError("No matching record on " + topics + " within " + timeout + "; read " + seen + " records");
  }

  /** Reads every record on {@code topic} that arrives within {@code window}. */
  public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic, Duration window) {
    List<ConsumerRecord<String, String>> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + window.toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
      }
    }
    return seen;
  }

  /** Returns the value of header {@code name}, or null when the record has none. */
  public static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
  }

  private static void header(ProducerRecord<String, String> record, String name, String value) {
    record.headers().add(new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8)));
  }
}
