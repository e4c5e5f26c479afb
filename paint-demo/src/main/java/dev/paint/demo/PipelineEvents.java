package dev.paint.demo;

import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the pipeline's outcome topics ({@link Topics#MODEL_PROMOTED}, {@link Topics#CANDIDATE_SELECTED} and
 * {@link Topics#PATCH_TASK_FAILED}) on a background thread, prints each promotion as it arrives, and hands the outcome
 * of every watched patch task to {@link #next(Duration)}.
 *
 * <p>It also follows the services' dead-letter topics. A record that a service could not process at all, such as one
 * whose handler threw an unexpected error, lands there instead of producing a PatchTaskFailed event, and the task it
 * carries counts as failed.
 */
public final class PipelineEvents implements AutoCloseable {

  /** The end of a watched patch task: promoted or failed. */
  public sealed interface Outcome permits Promoted, Failed {
    String taskId();
  }

  /** The registry promoted the task's candidate; {@code selected} is the evaluator's choice that led to it. */
  public record Promoted(String taskId, CandidateSelected selected, ModelPromoted promoted) implements Outcome {}

  /** A service reported the task as failed. */
  public record Failed(String taskId, PatchTaskFailed failure) implements Outcome {}

  /**
   * Topics of the failure strategy {@code dead-letter-queue} of SmallRye Reactive Messaging's Kafka connector, which
   * names them {@code dead-letter-topic-<channel>} by default.
   */
  static final String DEAD_LETTER_TOPIC_PREFIX = "dead-letter-topic-";

  /** Header in which that failure strategy records why the record was dead-lettered. */
  static final String DEAD_LETTER_REASON_HEADER = "dead-letter-reason";

  private static final Pattern SUBSCRIPTION = Pattern.compile(
      Pattern.quote(Topics.MODEL_PROMOTED) + "|" + Pattern.quote(Topics.CANDIDATE_SELECTED) + "|"
          + Pattern.quote(Topics.PATCH_TASK_FAILED) + "|" + Pattern.quote(DEAD_LETTER_TOPIC_PREFIX) + ".*");

  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final long QUEUE_POLL_MILLIS = 1000;

  private final KafkaConsumer<String, String> consumer;
  private final PrintStream out;
  private final Thread thread;
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final Map<String, String> watchedTaskNames = new ConcurrentHashMap<>();
  private final Map<String, CandidateSelected> selected = new ConcurrentHashMap<>();
  private final Map<String, ModelPromoted> promoted = new ConcurrentHashMap<>();
  private final Set<String> finished = ConcurrentHashMap.newKeySet();
  private volatile RuntimeException listenerFailure;
  private volatile boolean closed;

  private PipelineEvents(KafkaConsumer<String, String> consumer, PrintStream out) {
    this.consumer = consumer;
    this.out = out;
    this.thread = new Thread(this::pollUntilClosed, "paint-demo-pipeline-events");
    this.thread.setDaemon(true);
  }

  /** Subscribes a new consumer group to the outcome topics, reading them from the beginning, and starts polling. */
  public static PipelineEvents start(String bootstrapServers, PrintStream out) {
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        // A group of its own, so the demo never shares offsets with another listener.
        ConsumerConfig.GROUP_ID_CONFIG, "paint-demo-" + UUID.randomUUID(),
        // Events published before the subscription took effect must not be missed.
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        // A dead-letter topic appears when a service first fails; the default 5 min refresh would notice it too late.
        ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    consumer.subscribe(SUBSCRIPTION);

    PipelineEvents events = new PipelineEvents(consumer, out);
    events.thread.start();
    return events;
  }

  /** Starts reporting the outcome of patch task {@code taskId}; call it before the task is submitted. */
  public void watch(String taskId, String taskName) {
    watchedTaskNames.put(taskId, taskName);
    completeIfPromoted(taskId);
  }

  /**
   * Returns the next outcome of a watched task, or null when none arrives within {@code timeout}.
   *
   * @throws DemoFailedException when the listener thread stopped on an error
   */
  public Outcome next(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      requireListenerRunning();
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        return null;
      }
      Outcome outcome = outcomes.poll(Math.min(remainingMillis, QUEUE_POLL_MILLIS), TimeUnit.MILLISECONDS);
      if (outcome != null) {
        return outcome;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void pollUntilClosed() {
    try {
      while (!closed) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL_TIMEOUT)) {
          handle(record);
        }
      }
    } catch (WakeupException e) {
      // close() woke the consumer up to stop it.
    } catch (RuntimeException e) {
      listenerFailure = e;
    } finally {
      consumer.close();
    }
  }

  private void handle(ConsumerRecord<String, String> record) {
    switch (record.topic()) {
      case Topics.MODEL_PROMOTED -> {
        ModelPromoted event = parse(record, EventTypes.MODEL_PROMOTED, ModelPromoted.class);
        if (event != null) {
          onPromoted(event);
        }
      }
      case Topics.CANDIDATE_SELECTED -> {
        CandidateSelected event = parse(record, EventTypes.CANDIDATE_SELECTED, CandidateSelected.class);
        if (event != null) {
          selected.put(event.task().taskId(), event);
          completeIfPromoted(event.task().taskId());
        }
      }
      case Topics.PATCH_TASK_FAILED -> {
        PatchTaskFailed event = parse(record, EventTypes.PATCH_TASK_FAILED, PatchTaskFailed.class);
        if (event != null) {
          onFailed(event);
        }
      }
      default -> onDeadLetter(record);
    }
  }

  /** Reports the patch task of a dead-lettered record as failed, with the reason its service recorded. */
  private void onDeadLetter(ConsumerRecord<String, String> record) {
    String taskId = deadLetterTaskId(record.value());
    if (taskId == null || !watchedTaskNames.containsKey(taskId)) {
      return;
    }

    String reason = CloudEventHeaders.value(record.headers(), DEAD_LETTER_REASON_HEADER);
    String stage = "dead letter " + record.topic().substring(DEAD_LETTER_TOPIC_PREFIX.length());
    onFailed(new PatchTaskFailed(taskId, record.key(), stage,
        (reason == null ? "no reason recorded" : reason) + "; see the service's log", Instant.now()));
  }

  /**
   * Returns the patch task id of a dead-lettered payload: the top-level {@code taskId} of a PatchTaskSubmitted, or
   * {@code task.taskId} of the later events, which carry the task they belong to. Returns null for anything else.
   */
  static String deadLetterTaskId(String payload) {
    if (payload == null) {
      return null;
    }
    try {
      JsonNode root = Json.mapper().readTree(payload);
      JsonNode taskId = root.path("taskId").isTextual() ? root.path("taskId") : root.path("task").path("taskId");
      return taskId.isTextual() ? taskId.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private void onPromoted(ModelPromoted event) {
    out.println("  " + describe(event));
    if (event.taskId() == null) {
      return;
    }
    promoted.put(event.taskId(), event);
    completeIfPromoted(event.taskId());
  }

  private void onFailed(PatchTaskFailed event) {
    if (event.taskId() == null || !watchedTaskNames.containsKey(event.taskId())) {
      return;
    }
    out.printf("  patch task %s of model %s failed at stage %s: %s%n", event.taskId(), event.modelName(),
        event.stage(), event.reason());
    if (finished.add(event.taskId())) {
      outcomes.add(new Failed(event.taskId(), event));
    }
  }

  /** Reports a watched task once both its selection and its promotion arrived, in whichever order. */
  private void completeIfPromoted(String taskId) {
    CandidateSelected selection = selected.get(taskId);
    ModelPromoted promotion = promoted.get(taskId);
    if (selection == null || promotion == null || !watchedTaskNames.containsKey(taskId)) {
      return;
    }
    if (finished.add(taskId)) {
      outcomes.add(new Promoted(taskId, selection, promotion));
    }
  }

  /** Describes a promotion in one line: model, version, task and alpha. */
  String describe(ModelPromoted event) {
    String previous = event.previousVersion() == null ? "" : " (was " + event.previousVersion() + ")";
    String line = "promoted: model " + event.modelName() + " version " + event.version() + previous;
    if (event.taskId() == null) {
      return line + ", reason " + event.reason();
    }
    String task = watchedTaskNames.getOrDefault(event.taskId(), "?");
    String alpha = event.alpha() == null ? "none" : String.format(Locale.ROOT, "%.2f", event.alpha());
    return line + ", task " + task + " (id " + event.taskId() + "), alpha " + alpha;
  }

  /**
   * Parses a record's JSON after checking its CloudEvents type. Returns null for a record that is skipped with a
   * printed reason, because one bad record from another producer must not stop the demo.
   */
  private <T> T parse(ConsumerRecord<String, String> record, String expectedType, Class<T> payloadType) {
    String origin = record.topic() + "-" + record.partition() + "@" + record.offset();
    String type = CloudEventHeaders.value(record.headers(), CloudEventHeaders.TYPE_HEADER);
    if (type != null && !type.equals(expectedType)) {
      out.printf("  skipped record %s: CloudEvents type %s, expected %s%n", origin, type, expectedType);
      return null;
    }
    try {
      return Json.read(record.value(), payloadType);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      out.printf("  skipped record %s: invalid %s: %s%n", origin, payloadType.getSimpleName(), e.getMessage());
      return null;
    }
  }

  private void requireListenerRunning() {
    RuntimeException failure = listenerFailure;
    if (failure != null) {
      throw new DemoFailedException("The listener on the pipeline's topics stopped: " + failure, failure);
    }
  }
}
