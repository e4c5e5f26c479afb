package dev.paint.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The samples of a Prometheus text exposition, as a service returns it at /q/metrics, so that tests can look up a
 * metric by name and labels instead of matching the text.
 */
public final class PrometheusSamples {

  /** One sample line: a metric name, its labels and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final List<Sample> samples;

  private PrometheusSamples(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  /**
   * Parses the text exposition format; comment lines and blank lines are skipped.
   *
   * @throws IllegalArgumentException for a line that is neither a comment nor a sample
   */
  public static PrometheusSamples parse(String exposition) {
    List<Sample> samples = new ArrayList<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = LINE.matcher(line.strip());
      if (!matcher.matches()) {
        throw new IllegalArgumentException("Invalid Prometheus sample line: " + line);
      }
      samples.add(new Sample(matcher.group(1), labels(matcher.group(2)), value(matcher.group(3))));
    }
    return new PrometheusSamples(samples);
  }

  /** Returns every sample of metric {@code name} whose labels contain all of {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name))
        .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /** Returns the sum of the matching samples' values, or empty when no sample matches. */
  public OptionalDouble sum(String name, Map<String, String> labels) {
    List<Sample> matching = find(name, labels);
    if (matching.isEmpty()) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(matching.stream().mapToDouble(Sample::value).sum());
  }

  /**
   * Returns what is missing from the meters of incoming Kafka channel {@code channel}, or null when nothing is: the
   * messages counted by SmallRye's observation (at least one) and their failure counter, and the lag and consumed
   * records of the channel's Kafka consumer, which SmallRye names {@code kafka-consumer-<channel>}.
   */
  public String kafkaChannelProblem(String channel) {
    Map<String, String> byChannel = Map.of("channel", channel);
    Map<String, String> byClient = Map.of("client_id", "kafka-consumer-" + channel);
    if (sum("quarkus_messaging_message_count_total", byChannel).orElse(0.0) < 1.0) {
      return "no message counted in quarkus_messaging_message_count_total" + byChannel;
    }
    if (find("quarkus_messaging_message_failures_total", byChannel).isEmpty()) {
      return "no quarkus_messaging_message_failures_total" + byChannel;
    }
    if (sum("kafka_consumer_fetch_manager_records_consumed_total", byClient).orElse(0.0) < 1.0) {
      return "no record counted in kafka_consumer_fetch_manager_records_consumed_total" + byClient;
    }
    if (find("kafka_consumer_fetch_manager_records_lag_max", byClient).isEmpty()) {
      return "no kafka_consumer_fetch_manager_records_lag_max" + byClient;
    }
    return null;
  }

  private static Map<String, String> labels(String text) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null) {
      return labels;
    }
    Matcher matcher = LABEL.matcher(text);
    while (matcher.find()) {
      labels.put(matcher.group(1), matcher.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
    }
    return labels;
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }
}
