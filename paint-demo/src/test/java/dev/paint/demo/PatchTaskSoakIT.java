package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A burst of small patch tasks over three models through the four packaged services, with duplicated events. It checks
 * delivery and ordering. Every task ends promoted or failed with a reason, every promoted task has exactly one
 * promotion event and one model version, and each model's versions follow the submission order. trainer-service is
 * killed with SIGKILL once in the middle of the run and started again. The encoders are
 * small and untrained, so the test measures the pipeline's bookkeeping, not accuracy. Maven's failsafe plugin runs it
 * in the verify phase, after the services were packaged.
 */
class PatchTaskSoakIT {

  private static final List<String> MODELS = List.of("soak-a", "soak-b", "soak-c");
  private static final int TASKS_PER_MODEL = 7;
  private static final List<BuiltinDataset> PATCH_DATASETS = List.of(BuiltinDataset.MNIST, BuiltinDataset.UCI_DIGITS);
  /** Source images per dataset: a few hundred keep each evaluation short on two CPU cores. */
  private static final int SOURCE_IMAGES = 300;
  /** One 3x3 convolution of 8 channels and a 16-dimensional embedding, so fine-tuning takes seconds at most. */
  private static final EncoderSpec SPEC = new EncoderSpec(1, 28, List.of(8), List.of(), 16, 20.0);
  private static final Hyperparameters PATCH = new Hyperparameters(1e-3, 2, 64, null, 2, null, null, 200);
  private static final Selection SELECTION = new Selection(SelectionRule.MEAN_ACCURACY, null, List.of(0.5, 1.0));
  /** Every third task of the burst is submitted twice in a row. */
  private static final int BURST_DUPLICATE_EVERY = 3;
  /** Promoted tasks whose submission and fine-tuned events are published again while later tasks still run. */
  private static final int LATE_DUPLICATES = 3;
  /** Promotions before the trainer is killed: a third of the tasks, so that most of them span the restart. */
  private static final int PROMOTIONS_BEFORE_KILL = 7;
  /** How long the test keeps reading after the last outcome, for a duplicated promotion to show up. */
  private static final Duration SETTLE = Duration.ofSeconds(15);
  private static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(20);

  @Test
  void burstWithDuplicatesIsPromotedOnceInOrder() throws Exception {
    RepositoryLayout layout = RepositoryLayout.locate(null);
    layout.requireBuiltArtifacts();
    Path work = layout.root().resolve("paint-demo").resolve("target").resolve("soak-work");
    String runId = UUID.randomUUID().toString().substring(0, 8);

    try (LocalInfrastructure infrastructure = LocalInfrastructure.start(layout, work.resolve("infrastructure"));
        PaintServices services =
            PaintServices.start(layout, infrastructure, work.resolve("logs"), Duration.ofMinutes(3), System.out);
        EventRecorder events = EventRecorder.start(infrastructure.bootstrapServers());
        PatchTaskSubmitter submitter = new PatchTaskSubmitter(infrastructure.bootstrapServers());
        KafkaProducer<String, String> producer = producer(infrastructure.bootstrapServers())) {
      URI registry = services.baseUri(PaintService.REGISTRY);
      Map<BuiltinDataset, PatchTaskSpec> specs = importDatasets(layout, infrastructure);
      for (String model : MODELS) {
        registerBase(model, infrastructure, new RegistryClient(registry, services.registryApiToken()), work);
      }
      Map<String, List<PatchTaskSubmitted>> tasksByModel = plan(runId, specs);

      long started = System.nanoTime();
      int duplicates = submitBurst(submitter, tasksByModel);
      duplicates += duplicateLate(events, submitter, producer, tasksByModel);
      // Stopped before the broker and the object store, which the try statement closes after this block.
      try (ServiceProcess restarted = killAndRestartTrainer(layout, infrastructure, services, events, work)) {
        awaitAndCheck(registry, events, tasksByModel, duplicates, started);
      }
    }
  }

  /** Waits for every task's outcome, prints the figures and checks them, then checks each model's lineage. */
  private static void awaitAndCheck(
      URI registry, EventRecorder events, Map<String, List<PatchTaskSubmitted>> tasksByModel, int duplicates,
      long started) throws Exception {
    List<String> taskIds = tasksByModel.values().stream().flatMap(List::stream).map(PatchTaskSubmitted::taskId)
        .toList();
    await("an outcome for each of " + taskIds.size() + " tasks").atMost(OUTCOME_TIMEOUT)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> taskIds.stream().allMatch(events::hasOutcome));
    long wallMillis = (System.nanoTime() - started) / 1_000_000;
    TimeUnit.MILLISECONDS.sleep(SETTLE.toMillis());

    Figures figures = figures(events, taskIds, duplicates, wallMillis);
    System.out.println(figures.line());
    assertThat(figures.lost()).isZero();
    assertThat(figures.duplicated()).isZero();
    for (String taskId : taskIds) {
      List<PatchTaskFailed> failures = events.failures(taskId);
      if (events.promotions(taskId).isEmpty()) {
        assertThat(failures).as("failures of %s", taskId).isNotEmpty();
        assertThat(failures.get(0).reason()).as("failure reason of %s", taskId).isNotBlank();
      }
    }
    for (Map.Entry<String, List<PatchTaskSubmitted>> model : tasksByModel.entrySet()) {
      assertLineage(model.getKey(), model.getValue(), events, registry);
    }
  }

  /** Imports the supported task's dataset and the patch datasets, each cut to {@value #SOURCE_IMAGES} images. */
  private static Map<BuiltinDataset, PatchTaskSpec> importDatasets(
      RepositoryLayout layout, LocalInfrastructure infrastructure) {
    DatasetStore store = new DatasetStore(infrastructure.objectStore());
    Path data = layout.defaultDataDirectory();
    DemoDatasets.importDataset(BuiltinDataset.FASHION_MNIST, data, SOURCE_IMAGES, store);
    Map<BuiltinDataset, PatchTaskSpec> specs = new LinkedHashMap<>();
    for (BuiltinDataset dataset : PATCH_DATASETS) {
      DemoDatasets.importDataset(dataset, data, SOURCE_IMAGES, store);
      specs.put(dataset, PatchTaskSpec.of(dataset));
    }
    return specs;
  }

  /** Registers an untrained encoder with a random Fashion-MNIST head as version 1 of {@code model}. */
  private static void registerBase(
      String model, LocalInfrastructure infrastructure, RegistryClient registry, Path work) throws IOException {
    Path directory = Files.createDirectories(work.resolve("base").resolve(model));
    Path encoderFile = directory.resolve("encoder.safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 0)) {
      encoder.save(encoderFile, Map.of());
    }
    Path headFile = directory.resolve("head.safetensors");
    List<String> classNames = BuiltinDataset.FASHION_MNIST.classNames();
    ClassificationHead.random(classNames.size(), SPEC.embeddingDim(), 0).save(headFile, Map.of());

    CheckpointStore checkpoints = new CheckpointStore(infrastructure.objectStore());
    CheckpointRef encoder = checkpoints.upload(ObjectKeys.importedEncoder(model, "soak"), encoderFile);
    CheckpointRef head = checkpoints.upload(ObjectKeys.head(model, BaseModelBuilder.TASK), headFile);
    TaskHead supported =
        new TaskHead(BaseModelBuilder.TASK, BaseModelBuilder.TASK, classNames, head, TaskRole.SUPPORTED);
    int version = registry.register(model,
        new RegistryClient.RegisterModelVersion(encoder, SPEC, List.of(supported), Map.of(), true));
    assertThat(version).as("base version of %s", model).isEqualTo(1);
  }

  /** Returns each model's tasks in submission order, alternating between the patch datasets. */
  private static Map<String, List<PatchTaskSubmitted>> plan(String runId, Map<BuiltinDataset, PatchTaskSpec> specs) {
    List<PatchTaskSpec> cycle = List.copyOf(specs.values());
    Map<String, List<PatchTaskSubmitted>> tasks = new LinkedHashMap<>();
    for (String model : MODELS) {
      List<PatchTaskSubmitted> modelTasks = new ArrayList<>();
      for (int i = 0; i < TASKS_PER_MODEL; i++) {
        PatchTaskSpec spec = cycle.get(i % cycle.size());
        String taskId = model + "-" + i + "-" + runId;
        modelTasks.add(new PatchTaskSubmitted(taskId, model, spec.task(), spec.dataset(), spec.classNames(), null,
            PATCH, SELECTION, Instant.now()));
      }
      tasks.put(model, modelTasks);
    }
    return tasks;
  }

  /**
   * Submits every task at once, the models interleaved, and every third task twice. Returns the duplicates sent.
   */
  private static int submitBurst(PatchTaskSubmitter submitter, Map<String, List<PatchTaskSubmitted>> tasksByModel) {
    int duplicates = 0;
    int sent = 0;
    for (int i = 0; i < TASKS_PER_MODEL; i++) {
      for (List<PatchTaskSubmitted> modelTasks : tasksByModel.values()) {
        PatchTaskSubmitted task = modelTasks.get(i);
        submitter.submit(task);
        sent++;
        if (sent % BURST_DUPLICATE_EVERY == 0) {
          submitter.submit(task);
          duplicates++;
        }
      }
    }
    return duplicates;
  }

  /**
   * Waits for the first {@value #LATE_DUPLICATES} promotions, then publishes those tasks' submissions and fine-tuned
   * events again while the other tasks still run. Returns the duplicates sent.
   */
  private static int duplicateLate(
      EventRecorder events, PatchTaskSubmitter submitter, KafkaProducer<String, String> producer,
      Map<String, List<PatchTaskSubmitted>> tasksByModel) throws Exception {
    await("the first " + LATE_DUPLICATES + " promotions").atMost(OUTCOME_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> events.promotedTaskIds().size() >= LATE_DUPLICATES);

    int duplicates = 0;
    for (String taskId : events.promotedTaskIds().subList(0, LATE_DUPLICATES)) {
      PatchTaskSubmitted task = tasksByModel.values().stream().flatMap(List::stream)
          .filter(candidate -> candidate.taskId().equals(taskId)).findFirst().orElseThrow();
      submitter.submit(task);
      duplicates++;

      ConsumerRecord<String, String> fineTuned = events.fineTuned(taskId);
      ProducerRecord<String, String> copy = new ProducerRecord<>(fineTuned.topic(), null, fineTuned.key(),
          fineTuned.value(), fineTuned.headers());
      producer.send(copy).get(30, TimeUnit.SECONDS);
      duplicates++;
    }
    return duplicates;
  }

  /**
   * Waits until {@value #PROMOTIONS_BEFORE_KILL} tasks were promoted, then kills trainer-service with SIGKILL, as a
   * crash would, and starts it again on the same port with the same configuration. Tasks it had recorded, parked or
   * was training must resume from the object store. Returns the new process, which the test stops at the end.
   */
  private static ServiceProcess killAndRestartTrainer(
      RepositoryLayout layout, LocalInfrastructure infrastructure, PaintServices services, EventRecorder events,
      Path work) throws InterruptedException {
    await("the first " + PROMOTIONS_BEFORE_KILL + " promotions").atMost(OUTCOME_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> events.promotedTaskIds().size() >= PROMOTIONS_BEFORE_KILL);

    String jar = layout.serviceJar(PaintService.TRAINER).toString();
    List<ProcessHandle> trainers = ProcessHandle.current().children()
        .filter(child -> child.info().commandLine().map(line -> line.contains(jar)).orElse(false)).toList();
    assertThat(trainers).as("trainer-service processes").hasSize(1);
    ProcessHandle trainer = trainers.get(0);
    trainer.destroyForcibly();
    trainer.onExit().join();
    System.out.printf("soak: killed trainer-service (pid %d) after %d promotions%n", trainer.pid(),
        events.promotedTaskIds().size());

    Map<PaintService, Integer> ports = new EnumMap<>(PaintService.class);
    for (PaintService service : PaintService.values()) {
      ports.put(service, services.baseUri(service).getPort());
    }
    ServiceProcess restarted = ServiceProcess.start(PaintService.TRAINER, Path.of(jar),
        ports.get(PaintService.TRAINER), PaintServices.environment(PaintService.TRAINER, infrastructure, ports, services.registryApiToken()),
        work.resolve("logs").resolve("trainer-service-restarted.log"));
    restarted.awaitReady(HttpClient.newHttpClient(), Duration.ofMinutes(3));
    return restarted;
  }

  /**
   * Checks one model's lineage: its promotions follow the submission order of the promoted tasks, each built on the
   * version before it, and the registry contains exactly one version per promoted task.
   */
  private static void assertLineage(
      String model, List<PatchTaskSubmitted> tasks, EventRecorder events, URI registry) throws Exception {
    List<ModelPromoted> promotions = new ArrayList<>();
    for (PatchTaskSubmitted task : tasks) {
      promotions.addAll(events.promotions(task.taskId()));
    }
    JsonNode versions = getJson(registry.resolve("/models/" + model + "/versions"));

    int previous = 1;
    for (ModelPromoted promotion : promotions) {
      assertThat(promotion.previousVersion()).as("previous version of %s", promotion.taskId()).isEqualTo(previous);
      assertThat(promotion.version()).as("version of %s", promotion.taskId()).isEqualTo(previous + 1);
      assertThat(lineageBase(versions, promotion.taskId())).as("registered base of %s", promotion.taskId())
          .containsExactly(previous);
      previous = promotion.version();
    }
    assertThat(versions.size()).as("versions of %s", model).isEqualTo(1 + promotions.size());
    assertThat(getJson(registry.resolve("/models/" + model + "/deployed")).path("version").asInt())
        .as("deployed version of %s", model).isEqualTo(previous);
  }

  /** Returns the lineage base version of every registered version made by {@code taskId}. */
  private static List<Integer> lineageBase(JsonNode versions, String taskId) {
    List<Integer> bases = new ArrayList<>();
    for (JsonNode version : versions) {
      if (taskId.equals(version.path("lineage").path("taskId").asText(null))) {
        bases.add(version.path("lineage").path("baseVersion").asInt());
      }
    }
    return bases;
  }

  /** Counts the figures of the run: a task with no outcome is lost, a second promotion of a task is duplicated. */
  private static Figures figures(EventRecorder events, List<String> taskIds, int duplicates, long wallMillis) {
    int promoted = 0;
    int failed = 0;
    int lost = 0;
    int duplicated = 0;
    for (String taskId : taskIds) {
      int promotions = events.promotions(taskId).size();
      if (promotions > 0) {
        promoted++;
        duplicated += promotions - 1;
      } else if (!events.failures(taskId).isEmpty()) {
        failed++;
      } else {
        lost++;
      }
    }
    return new Figures(taskIds.size(), duplicates, promoted, failed, lost, duplicated, wallMillis);
  }

  private static JsonNode getJson(URI uri) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response =
        http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("status of GET %s", uri).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  private static KafkaProducer<String, String> producer(String bootstrapServers) {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
  }

  /** The measured figures of one soak run, printed as one line for docs/reliability.md. */
  record Figures(int tasks, int duplicates, int promoted, int failed, int lost, int duplicated, long wallMillis) {

    String line() {
      return String.format("soak figures: tasks=%d duplicates=%d kills=1 promoted=%d failed=%d lost=%d duplicated=%d"
          + " wall=%.1f s", tasks, duplicates, promoted, failed, lost, duplicated, wallMillis / 1000.0);
    }
  }

  /**
   * Reads the promotion, failure and fine-tuned topics from the beginning on a background thread and keeps every
   * record, so the test can count them per task.
   */
  static final class EventRecorder implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private EventRecorder(KafkaConsumer<String, String> consumer) {
      this.consumer = consumer;
      this.thread = new Thread(this::poll, "soak-event-recorder");
    }

    static EventRecorder start(String bootstrapServers) {
      KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
          ConsumerConfig.GROUP_ID_CONFIG, "soak-" + UUID.randomUUID(),
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
      consumer.subscribe(List.of(Topics.MODEL_PROMOTED, Topics.PATCH_TASK_FAILED, Topics.ENCODER_FINE_TUNED));
      EventRecorder recorder = new EventRecorder(consumer);
      recorder.thread.start();
      return recorder;
    }

    boolean hasOutcome(String taskId) {
      return !promotions(taskId).isEmpty() || !failures(taskId).isEmpty();
    }

    List<ModelPromoted> promotions(String taskId) {
      return read(Topics.MODEL_PROMOTED, ModelPromoted.class).stream()
          .filter(event -> taskId.equals(event.taskId())).toList();
    }

    List<PatchTaskFailed> failures(String taskId) {
      return read(Topics.PATCH_TASK_FAILED, PatchTaskFailed.class).stream()
          .filter(event -> taskId.equals(event.taskId())).toList();
    }

    /** Returns the ids of the promoted tasks in the order of their first promotion. */
    List<String> promotedTaskIds() {
      // Registering a base version also publishes a promotion, with no task id.
      return read(Topics.MODEL_PROMOTED, ModelPromoted.class).stream().map(ModelPromoted::taskId)
          .filter(Objects::nonNull).distinct().toList();
    }

    ConsumerRecord<String, String> fineTuned(String taskId) {
      return records.stream()
          .filter(r -> r.topic().equals(Topics.ENCODER_FINE_TUNED) && r.value().contains("\"" + taskId + "\""))
          .findFirst()
          .orElseThrow(() -> new AssertionError("No fine-tuned event for promoted task " + taskId));
    }

    private <T> List<T> read(String topic, Class<T> type) {
      return records.stream().filter(r -> r.topic().equals(topic)).map(r -> Json.read(r.value(), type)).toList();
    }

    private void poll() {
      try {
        while (running) {
          consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
      } catch (WakeupException e) {
        // close() woke the consumer to end the loop.
      } finally {
        consumer.close();
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      consumer.wakeup();
      thread.join(10_000);
    }
  }
}
