package dev.paint.registry.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A plain kafka-clients producer and a background consumer that records everything on the given topics, for tests
 * that talk to the registry through the real broker.
 */
public final class KafkaTestClient implements AutoCloseable {

  /** A consumed record with its headers as strings. */
  public record Received(String topic, String key, String value, Map<String, String> headers) {}

  private final KafkaProducer<String, String> producer;
  private final KafkaConsumer<String, String> consumer;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread pollThread;
  private volatile boolean running = true;

  public KafkaTestClient(String bootstrapServers, List<String> topics) {
    Properties producerProperties = new Properties();
    producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    // One broker: wait for it alone, so a send returns once the record is stored.
    producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
    producer = new KafkaProducer<>(producerProperties);

    Properties consumerProperties = new Properties();
    consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // A fresh group per client, so no other test's commits hide records from it.
    consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID());
    // Records sent before the group's partitions were assigned must be seen too.
    consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumer = new KafkaConsumer<>(consumerProperties);
    consumer.subscribe(topics);

    pollThread = new Thread(this::pollUntilClosed, "kafka-test-client-poll");
    pollThread.setDaemon(true);
    pollThread.start();
  }

  /** Sends a JSON value as a CloudEvent in binary mode and waits until the broker stored it. */
  public void sendCloudEvent(String topic, String key, String value, String type, String id)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<Header> headers = new ArrayList<>();
    headers.add(header("ce_specversion", "1.0"));
    headers.add(header("ce_type", type));
    headers.add(header("ce_source", "urn:paint:registry-service-test"));
    headers.add(header("ce_id", id));
    headers.add(header("content-type", "application/json"));
    send(new ProducerRecord<>(topic, null, key, value, headers));
  }

  /** Sends a value without any CloudEvents headers. */
  public void sendPlain(String topic, String key, String value)
      throws InterruptedException, ExecutionException, TimeoutException {
    send(new ProducerRecord<>(topic, key, value));
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
    producer.close(Duration.ofSeconds(10));
  }

  private void send(ProducerRecord<String, String> record)
      throws InterruptedException, ExecutionException, TimeoutException {
    producer.send(record).get(30, TimeUnit.SECONDS);
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

  private static Header header(String key, String value) {
    return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
