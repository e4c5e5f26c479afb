package dev.paint.local;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain kafka-clients producers and consumers for the broker tests. */
final class KafkaTestClients {

  static final Duration RECEIVE_LIMIT = Duration.ofSeconds(30);

  private KafkaTestClients() {}

  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  static KafkaProducer<String, String> producer(String bootstrapServers) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            // A record counts as sent only once the broker has written it, which the restart tests rely on.
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  static KafkaConsumer<String, String> consumer(String bootstrapServers, String groupId) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG, groupId,
            // A new group reads the topic from its start, so records sent before it joined are not skipped.
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            // The tests commit explicitly, so the committed offset is exactly what they consumed.
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
  }

  /** Sends the records in order and waits until the broker acknowledged each of them. */
  static void sendAll(String bootstrapServers, String topic, List<Map.Entry<String, String>> records)
      throws ExecutionException, InterruptedException, TimeoutException {
    try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
      for (Map.Entry<String, String> record : records) {
        producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())).get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Polls until at least {@code count} records arrived, then returns all of them. */
  static List<ConsumerRecord<String, String>> receive(KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    // The consumer is not thread-safe, so Awaitility must poll it from this thread.
    await()
        .atMost(RECEIVE_LIMIT)
        .pollInSameThread()
        .pollInterval(Duration.ZERO)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(received::add);
              return received.size() >= count;
            });
    return received;
  }

  /** Reads {@code count} records of the topic as a member of the group and commits their offsets. */
  static List<ConsumerRecord<String, String>> receiveAndCommit(
      String bootstrapServers, String topic, String groupId, int count) {
    try (KafkaConsumer<String, String> consumer = consumer(bootstrapServers, groupId)) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> received = receive(consumer, count);
      consumer.commitSync();
      return received;
    }
  }

  static List<String> keys(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::key).toList();
  }

  static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).toList();
  }
}
