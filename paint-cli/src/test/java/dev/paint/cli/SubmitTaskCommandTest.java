package dev.paint.cli;

import static dev.paint.cli.TestStack.runCli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.cli.TestStack.CliResult;
import dev.paint.demo.CloudEventHeaders;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** submit-task against a real broker and object store. */
class SubmitTaskCommandTest {

  private static final List<String> CLASSES = List.of("circle", "square", "triangle");

  private String model;
  private Map<String, String> environment;

  @BeforeEach
  void storeDataset() {
    String bucket = TestStack.uniqueBucket();
    new DatasetStore(TestStack.connect(bucket)).upload(shapes(), Map.of());
    model = "model-" + UUID.randomUUID().toString().substring(0, 8);
    environment = new HashMap<>(TestStack.objectStoreEnvironment(bucket));
    environment.put(ConnectionOptions.BOOTSTRAP_SERVERS_ENV, TestStack.broker().bootstrapServers());
  }

  @Test
  void submitPublishesCloudEventWithManifestClasses() {
    CliResult result = runCli(environment, "submit-task", "--model", model, "--task", "shapes", "--dataset",
        "shapes", "--task-id", model + "-task", "--epochs", "2", "--learning-rate", "0.0005", "--batch-size", "64",
        "--max-train-images", "100", "--rule", "constrained", "--tolerance", "2", "--alphas", "0,0.5,1",
        "--search", "coarse-to-fine");

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(result.out()).contains("Submitted patch task " + model + "-task");
    ConsumerRecord<String, String> record = awaitSubmitted(model);
    assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(record, "ce_type")).isEqualTo(EventTypes.PATCH_TASK_SUBMITTED);
    assertThat(header(record, "ce_id")).isEqualTo(model + "-task:submitted");
    assertThat(header(record, "ce_source")).isEqualTo("urn:paint:cli");
    assertThat(header(record, "ce_subject")).isEqualTo(model);
    assertThat(Instant.parse(header(record, "ce_time"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(header(record, "content-type")).isEqualTo("application/json");
    assertThat(record.headers().headers("ce_source")).hasSize(1);
    PatchTaskSubmitted task = Json.read(record.value(), PatchTaskSubmitted.class);
    assertThat(task.taskId()).isEqualTo(model + "-task");
    assertThat(task.modelName()).isEqualTo(model);
    assertThat(task.task()).isEqualTo("shapes");
    assertThat(task.dataset()).isEqualTo("shapes");
    assertThat(task.classNames()).containsExactlyElementsOf(CLASSES);
    assertThat(task.head()).isNull();
    assertThat(task.hyperparameters().epochs()).isEqualTo(2);
    assertThat(task.hyperparameters().learningRate()).isEqualTo(0.0005);
    assertThat(task.hyperparameters().batchSize()).isEqualTo(64);
    assertThat(task.hyperparameters().maxTrainImages()).isEqualTo(100);
    assertThat(task.hyperparameters().weightDecay()).isNull();
    assertThat(task.selection().rule()).isEqualTo(SelectionRule.CONSTRAINED);
    assertThat(task.selection().tolerancePoints()).isEqualTo(2.0);
    assertThat(task.selection().alphas()).containsExactly(0.0, 0.5, 1.0);
    assertThat(task.selection().search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
  }

  @Test
  void leftOutOptionsStayUnset() {
    CliResult result = runCli(environment, "submit-task", "--model", model, "--task", "shapes", "--dataset",
        "shapes");

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    PatchTaskSubmitted task = Json.read(awaitSubmitted(model).value(), PatchTaskSubmitted.class);
    assertThat(task.taskId()).matches("shapes-[0-9a-f]{8}");
    assertThat(result.out()).contains("Submitted patch task " + task.taskId());
    assertThat(task.hyperparameters()).isEqualTo(Hyperparameters.none());
    assertThat(task.selection()).isEqualTo(Selection.none());
  }

  @Test
  void waitReportsFailedTask() throws Exception {
    String taskId = model + "-fails";
    CompletableFuture<CliResult> waiting = CompletableFuture.supplyAsync(() -> runCli(environment, "submit-task",
        "--model", model, "--task", "shapes", "--dataset", "shapes", "--task-id", taskId, "--wait", "--timeout",
        "120"));

    awaitSubmitted(model);
    PatchTaskFailed failure =
        new PatchTaskFailed(taskId, model, "training", "dataset shapes has too few images", Instant.now());
    publish(Topics.PATCH_TASK_FAILED, EventTypes.PATCH_TASK_FAILED, model, taskId + ":failed", failure);
    CliResult result = waiting.get(90, TimeUnit.SECONDS);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.out()).contains("Waiting up to 120 s for patch task " + taskId);
    assertThat(result.err()).isEqualTo("Patch task " + taskId + " of model " + model + " failed at stage training:"
        + " dataset shapes has too few images" + System.lineSeparator());
  }

  @Test
  void waitPrintsPromotion() throws Exception {
    String taskId = model + "-promoted";
    CompletableFuture<CliResult> waiting = CompletableFuture.supplyAsync(() -> runCli(environment, "submit-task",
        "--model", model, "--task", "shapes", "--dataset", "shapes", "--task-id", taskId, "--wait", "--timeout",
        "120"));

    PatchTaskSubmitted task = Json.read(awaitSubmitted(model).value(), PatchTaskSubmitted.class);
    CandidateSelected selected = selection(task);
    publish(Topics.CANDIDATE_SELECTED, EventTypes.CANDIDATE_SELECTED, model, taskId + ":selected", selected);
    ModelPromoted promoted = new ModelPromoted(model, 2, 1, taskId, 0.5, selected.chosen().checkpoint(),
        List.of(selected.base().tasks().get(0), selected.patchHead()), selected.accuracy(), "patch", Instant.now());
    publish(Topics.MODEL_PROMOTED, EventTypes.MODEL_PROMOTED, model, taskId + ":promoted", promoted);
    CliResult result = waiting.get(90, TimeUnit.SECONDS);

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(result.out()).contains("Patch task " + taskId + " promoted: model " + model + " version 2 (was 1),"
        + " alpha 0.50 chosen by rule mean-accuracy");
    assertThat(result.out()).containsPattern("base +90\\.00 +40\\.00 +88\\.50 +89\\.00 +41\\.00 +87\\.25");
    assertThat(result.out()).containsPattern("shapes +20\\.00 +95\\.00 +93\\.00 +21\\.00 +94\\.00 +92\\.00");
  }

  @Test
  void waitEndsAtTimeout() {
    CliResult result = runCli(environment, "submit-task", "--model", model, "--task", "shapes", "--dataset",
        "shapes", "--task-id", model + "-slow", "--wait", "--timeout", "2");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).startsWith("Patch task " + model + "-slow was neither promoted nor failed within 2 s");
  }

  @Test
  void missingDatasetNamesImportCommand() {
    CliResult result = runCli(environment, "submit-task", "--model", model, "--task", "shapes", "--dataset",
        "no-such-dataset");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).startsWith("Dataset 'no-such-dataset' is not in the object store: import it first"
        + " with paint-cli import-dataset --name no-such-dataset");
  }

  @Test
  void missingHeadObjectFails() {
    CliResult result = runCli(environment, "submit-task", "--model", model, "--task", "shapes", "--dataset",
        "shapes", "--head", "models/" + model + "/heads/shapes.safetensors");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).contains("models/" + model + "/heads/shapes.safetensors given with --head is not"
        + " stored");
  }

  /** Reads the submitted topic from the beginning in a group of its own until the record keyed by {@code key}. */
  private static ConsumerRecord<String, String> awaitSubmitted(String key) {
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.broker().bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "cli-test-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of(Topics.PATCH_TASK_SUBMITTED));
      return Awaitility.await().atMost(Duration.ofSeconds(60)).until(
          () -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
              if (key.equals(record.key())) {
                return record;
              }
            }
            return null;
          },
          record -> record != null);
    }
  }

  /** Publishes {@code payload} as the services do: JSON in CloudEvents binary mode, keyed by model name. */
  private static void publish(String topic, String type, String modelName, String eventId, Object payload)
      throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestStack.broker().bootstrapServers(),
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, null, modelName, Json.write(payload),
          CloudEventHeaders.binaryMode(eventId, type, modelName, Instant.now()));
      producer.send(record).get(30, TimeUnit.SECONDS);
    }
  }

  /** Returns the evaluator's selection of alpha 0.5 for {@code task}, with accuracies of the base task and of it. */
  private static CandidateSelected selection(PatchTaskSubmitted task) {
    CheckpointRef encoder = new CheckpointRef("models/" + task.modelName() + "/imports/1/encoder.safetensors",
        "a".repeat(64), 100);
    CheckpointRef head = new CheckpointRef("models/" + task.modelName() + "/heads/base.safetensors", "b".repeat(64),
        10);
    TaskHead baseTask = new TaskHead("base", "base", List.of("x", "y"), head, TaskRole.SUPPORTED);
    DeployedModel base = new DeployedModel(task.modelName(), 1, encoder, EncoderSpec.DEMO, List.of(baseTask), 1,
        encoder);
    TaskHead patchHead = new TaskHead(task.task(), task.dataset(), task.classNames(), head, TaskRole.PATCH);
    Candidate chosen = new Candidate(0.5, new CheckpointRef("tasks/" + task.modelName() + "/" + task.taskId()
        + "/candidates/alpha-0.50.safetensors", "c".repeat(64), 100));
    Map<String, TaskAccuracy> accuracy = Map.of(
        "base", new TaskAccuracy(90.0, 40.0, 88.5, 89.0, 41.0, 87.25),
        task.task(), new TaskAccuracy(20.0, 95.0, 93.0, 21.0, 94.0, 92.0));
    return new CandidateSelected(task, base, patchHead, null, null, chosen, SelectionRule.MEAN_ACCURACY, 1.0,
        List.of(0.0, 0.5, 1.0), Map.of(), accuracy);
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  /** Three classes of 8x8 grayscale images: 12 train, 3 validation and 3 test images. */
  private static Dataset shapes() {
    return new Dataset("shapes", CLASSES, images(12), images(3), images(3));
  }

  private static LabeledImages images(int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % CLASSES.size();
    }
    return new LabeledImages(1, 8, 8, new byte[count * 64], labels);
  }
}
