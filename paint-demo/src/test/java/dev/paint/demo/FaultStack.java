package dev.paint.demo;

import dev.paint.demo.BaseModelBuilder.PretrainedBase;
import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A broker, an object store and the four packaged services, shared by the fault tests of one class: a base encoder
 * pretrained once (or read from the demo's cache), a model registered per test, and small MNIST patch tasks. Each
 * model's patch tasks are independent of other tests' models, so the tests need no order.
 */
final class FaultStack implements AutoCloseable {

  static final List<Double> ALPHAS = List.of(0.0, 0.5, 1.0);
  static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  // One short epoch on 1,000 MNIST images: the faults, not the accuracy, are under test.
  private static final Hyperparameters PATCH = new Hyperparameters(1e-3, 1, null, null, 2, null, null, 1000);
  private static final Hyperparameters PRETRAINING = new Hyperparameters(1e-3, 1, 128, 0.1, 5, 1.0, 0L, 0);

  private final LocalInfrastructure infrastructure;
  private final PaintServices services;
  private final PatchTaskSubmitter submitter;
  private final PretrainedBase base;
  private final List<String> baseClassNames;

  private FaultStack(
      LocalInfrastructure infrastructure, PaintServices services, PatchTaskSubmitter submitter, PretrainedBase base,
      List<String> baseClassNames) {
    this.infrastructure = infrastructure;
    this.services = services;
    this.submitter = submitter;
    this.base = base;
    this.baseClassNames = baseClassNames;
  }

  /** Starts everything under paint-demo/target/{@code name}, importing 3,000 Fashion-MNIST and 1,000 MNIST images. */
  static FaultStack start(String name) {
    RepositoryLayout repository = RepositoryLayout.locate(null);
    repository.requireBuiltArtifacts();
    DemoSettings defaults = DemoSettings.defaults(repository, System.getenv());
    Path work = repository.root().resolve("paint-demo").resolve("target").resolve(name);

    LocalInfrastructure infrastructure = LocalInfrastructure.start(repository, work.resolve("infrastructure"));
    PaintServices services = null;
    try {
      services = PaintServices.start(repository, infrastructure, work.resolve("logs"), READY_TIMEOUT, System.out);
      DatasetStore datasets = new DatasetStore(infrastructure.objectStore());
      DemoDatasets.Imported fashion = DemoDatasets.importDataset(
          BuiltinDataset.FASHION_MNIST, defaults.dataDirectory(), 3_000, datasets);
      DemoDatasets.importDataset(BuiltinDataset.MNIST, defaults.dataDirectory(), 1_000, datasets);
      PretrainedBase base = BaseModelBuilder.pretrainOrLoad(EncoderSpec.DEMO, PRETRAINING, fashion.dataset(),
          fashion.manifest(), defaults.cacheDirectory(), System.out);
      PatchTaskSubmitter submitter = new PatchTaskSubmitter(infrastructure.bootstrapServers());
      return new FaultStack(infrastructure, services, submitter, base, fashion.dataset().classNames());
    } catch (RuntimeException e) {
      if (services != null) {
        services.close();
      }
      infrastructure.close();
      throw e;
    }
  }

  LocalInfrastructure infrastructure() {
    return infrastructure;
  }

  PaintServices services() {
    return services;
  }

  /** Registers the pretrained base as version 1 of a new model and returns the model's name. */
  String registerModel(String prefix) {
    String modelName = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    RegistryClient registry =
        new RegistryClient(services.baseUri(PaintService.REGISTRY), services.registryApiToken());
    BaseModelRegistration.register(
        modelName, base, false, baseClassNames, new CheckpointStore(infrastructure.objectStore()), registry);
    return modelName;
  }

  /** Submits an MNIST patch task of {@code modelName} and returns its task id. */
  String submitPatch(String modelName) {
    String taskId = "fault-" + UUID.randomUUID().toString().substring(0, 12);
    PatchTaskSpec spec = PatchTaskSpec.of(BuiltinDataset.MNIST);
    submitter.submit(new PatchTaskSubmitted(taskId, modelName, spec.task(), spec.dataset(), spec.classNames(), null,
        PATCH, new Selection(SelectionRule.MEAN_ACCURACY, null, ALPHAS), Instant.now()));
    return taskId;
  }

  /** Returns whether the log of {@code service} contains a line with every one of {@code fragments}. */
  boolean logContains(PaintService service, String... fragments) {
    try {
      for (String line : Files.readAllLines(services.logFile(service), StandardCharsets.UTF_8)) {
        if (List.of(fragments).stream().allMatch(line::contains)) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Reading " + services.logFile(service) + " failed", e);
    }
  }

  /** Returns whether {@code key} is stored; false also while the store is unreachable. */
  boolean objectExists(String key) {
    return infrastructure.objectStore().withRetryPolicy(RetryPolicy.NONE).exists(key);
  }

  /** Reads {@link Topics#MODEL_PROMOTED} from the beginning to its end and returns the events of {@code taskId}. */
  List<ModelPromoted> promotions(String taskId) {
    return readTopic(Topics.MODEL_PROMOTED, value -> Json.read(value, ModelPromoted.class)).stream()
        .filter(event -> taskId.equals(event.taskId()))
        .toList();
  }

  /** Reads {@link Topics#PATCH_TASK_FAILED} from the beginning to its end and returns the events of {@code taskId}. */
  List<PatchTaskFailed> failures(String taskId) {
    return readTopic(Topics.PATCH_TASK_FAILED, value -> Json.read(value, PatchTaskFailed.class)).stream()
        .filter(event -> taskId.equals(event.taskId()))
        .toList();
  }

  /** Returns the stored model versions of {@code modelName} whose lineage names {@code taskId}. */
  long versionsOfTask(String modelName, String taskId) {
    ObjectStore store = infrastructure.objectStore();
    return store.list("registry/" + modelName + "/versions/").stream()
        .map(key -> Json.read(store.getBytes(key), Map.class))
        .filter(version -> version.get("lineage") instanceof Map<?, ?> lineage && taskId.equals(lineage.get("taskId")))
        .count();
  }

  private <T> List<T> readTopic(String topic, Function<String, T> parse) {
    List<T> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infrastructure.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "fault-check-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
      if (partitions == null || partitions.isEmpty()) {
        return events;
      }
      List<TopicPartition> assigned =
          partitions.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (assigned.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Reading " + topic + " to offsets " + end + " took over 30 s");
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          events.add(parse.apply(record.value()));
        }
      }
    }
    return events;
  }

  /** Brings back whatever an earlier test left stopped, so that each test starts from a running stack. */
  void ensureRunning() {
    if (!infrastructure.broker().isRunning()) {
      infrastructure.broker().restart();
    }
    if (!infrastructure.objectStoreServer().isRunning()) {
      infrastructure.objectStoreServer().restart();
    }
    for (PaintService service : PaintService.values()) {
      if (services.isRunning(service)) {
        services.awaitReady(service, READY_TIMEOUT);
      } else {
        services.restart(service, READY_TIMEOUT);
      }
    }
  }

  @Override
  public void close() {
    submitter.close();
    services.close();
    infrastructure.close();
  }
}
