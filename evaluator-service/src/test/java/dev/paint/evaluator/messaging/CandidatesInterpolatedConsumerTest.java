package dev.paint.evaluator.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import dev.paint.testing.PrometheusSamples;
import dev.paint.testing.SyntheticImages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator against a real broker and object store. The patch task's test split carries inverted labels, so a
 * selection that looked at test data would prefer the untrained base. Choosing from validation data prefers the
 * fine-tuned encoder.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class CandidatesInterpolatedConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 8, 10.0);
  private static final List<String> CLASSES = List.of("top", "bottom");
  private static final String SHARDED_INDEX = "encoder.safetensors.index.json";

  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @TempDir Path directory;

  @Test
  void alphaIsChosenOnValidationNotTest() throws Exception {
    String modelName = "eval-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = "eval-" + UUID.randomUUID();
    List<Candidate> candidates = new ArrayList<>();
    CandidatesInterpolated event = storeCandidates(modelName, taskId, candidates);

    CandidateSelected selected = evaluate(modelName, taskId, event);

    List<Double> curve = selected.validationCurves().get("halves");
    var accuracy = selected.accuracy().get("halves");
    assertThat(selected.alphas()).containsExactly(0.0, 0.5, 1.0);
    assertThat(curve.get(2)).isGreaterThan(curve.get(0));
    assertThat(selected.chosen().alpha()).isGreaterThan(0.0);
    assertThat(accuracy.fineTunedValidation()).isEqualTo(curve.get(2));
    assertThat(accuracy.baseValidation()).isEqualTo(curve.get(0));
    assertThat(accuracy.fineTunedTest()).isLessThan(accuracy.baseTest());
    assertThat(selected.chosen().checkpoint()).isIn(candidates.stream().map(Candidate::checkpoint).toList());
    assertEvaluatorMetersMoved(modelName, selected);
  }

  @Test
  void shardedCandidatesAreEvaluated() throws Exception {
    String modelName = "eval-sharded-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = "eval-sharded-" + UUID.randomUUID();
    List<Candidate> candidates = new ArrayList<>();
    CandidatesInterpolated event = storeCandidates(modelName, taskId, candidates, true);

    CandidateSelected selected = evaluate(modelName, taskId, event);

    List<Double> curve = selected.validationCurves().get("halves");
    assertThat(candidates).allMatch(candidate -> candidate.checkpoint().key().endsWith(".safetensors.index.json"));
    assertThat(selected.alphas()).containsExactly(0.0, 0.5, 1.0);
    assertThat(curve.get(2)).isGreaterThan(curve.get(0));
    assertThat(curve.get(2)).isEqualTo(localValidationAccuracy("fine-tuned"));
    assertThat(curve.get(0)).isEqualTo(localValidationAccuracy("base"));
    assertThat(selected.chosen().alpha()).isGreaterThan(0.0);
    assertThat(selected.chosen().checkpoint()).isIn(candidates.stream().map(Candidate::checkpoint).toList());
  }

  /** Publishes {@code event} and returns the selection the evaluator publishes for it. */
  private static CandidateSelected evaluate(String modelName, String taskId, CandidatesInterpolated event) {
    KafkaEvents.publish(LocalStackResource.broker().bootstrapServers(), Topics.CANDIDATES_INTERPOLATED, modelName,
        EventTypes.CANDIDATES_INTERPOLATED, event);
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(
        LocalStackResource.broker().bootstrapServers(), Topics.CANDIDATE_SELECTED, r -> r.value().contains(taskId),
        Duration.ofSeconds(90));
    return Json.read(records.get(records.size() - 1).value(), CandidateSelected.class);
  }

  /** Returns the validation accuracy of a sharded encoder that {@link #save} wrote, measured in this process. */
  private double localValidationAccuracy(String name) {
    Path index = directory.resolve(name).resolve(SHARDED_INDEX);
    ClassificationHead head = ClassificationHead.load(directory.resolve("head.safetensors"), 2, SPEC.embeddingDim());
    try (Encoder encoder = Encoder.load(SPEC, index, Device.cpu())) {
      return AccuracyEvaluator.accuracy(encoder, head, datasets.load("halves-inverted-test", Split.VALIDATION));
    }
  }

  /** Checks the meters of the evaluation that chose {@code selected}, read back from /q/metrics. */
  private static void assertEvaluatorMetersMoved(String modelName, CandidateSelected selected) {
    PrometheusSamples metrics = scrape();
    Map<String, String> byTask = Map.of("model", modelName, "task", "halves");
    List<Double> curve = selected.validationCurves().get("halves");
    assertThat(metrics.sum("paint_evaluator_duration_seconds_count", byTask)).hasValue(1.0);
    assertThat(metrics.sum("paint_evaluator_chosen_alpha", Map.of("model", modelName)))
        .hasValue(selected.chosen().alpha());
    assertThat(metrics.sum("paint_evaluator_validation_accuracy",
        Map.of("model", modelName, "task", "halves", "alpha", "0.00"))).hasValue(curve.get(0));
    assertThat(metrics.sum("paint_evaluator_validation_accuracy",
        Map.of("model", modelName, "task", "halves", "alpha", "1.00"))).hasValue(curve.get(2));
    // Micrometer's Kafka binder looks for new client metrics periodically, so the consumer meters can take a while.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(
        () -> assertThat(scrape().kafkaChannelProblem(CandidatesInterpolatedConsumer.CHANNEL)).isNull());
  }

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
  }

  @Test
  void storeOutageDelaysSelectionWithoutFailure() throws Exception {
    String modelName = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    String taskId = "outage-" + UUID.randomUUID();
    CandidatesInterpolated event = storeCandidates(modelName, taskId, new ArrayList<>());
    String bootstrapServers = LocalStackResource.broker().bootstrapServers();

    // The restart takes several seconds, longer than the test profile's object store retries, so the stage itself
    // must run again.
    LocalStackResource.objectStore().stop();
    KafkaEvents.publish(bootstrapServers, Topics.CANDIDATES_INTERPOLATED, modelName, EventTypes.CANDIDATES_INTERPOLATED,
        event);
    LocalStackResource.objectStore().restart();
    List<ConsumerRecord<String, String>> selected = KafkaEvents.awaitRecord(
        bootstrapServers, Topics.CANDIDATE_SELECTED, r -> r.value().contains(taskId), Duration.ofSeconds(120));
    List<ConsumerRecord<String, String>> failures = KafkaEvents.readAll(
        bootstrapServers, Topics.PATCH_TASK_FAILED, Duration.ofSeconds(10));

    assertThat(selected).isNotEmpty();
    assertThat(failures).noneMatch(r -> r.value().contains(taskId));
  }

  /** Stores a dataset, a head and three candidates in {@code candidates}, and returns the event that names them. */
  private CandidatesInterpolated storeCandidates(String modelName, String taskId, List<Candidate> candidates)
      throws Exception {
    return storeCandidates(modelName, taskId, candidates, false);
  }

  /** Stores the candidates as in {@link #storeCandidates}, each sharded one layer per shard when {@code sharded}. */
  private CandidatesInterpolated storeCandidates(
      String modelName, String taskId, List<Candidate> candidates, boolean sharded) throws Exception {
    Dataset dataset = new Dataset("halves-inverted-test", CLASSES, SyntheticImages.halves(200, 1, false),
        SyntheticImages.halves(60, 2, false), SyntheticImages.halves(60, 3, true));
    datasets.upload(dataset, Map.of());

    Path headFile = directory.resolve("head.safetensors");
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 5);
    head.save(headFile, Map.of());
    CheckpointRef headRef = checkpoints.upload("models/" + modelName + "/heads/halves.safetensors", headFile);
    CheckpointRef base;
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 3)) {
      base = save(encoder, modelName, "base", sharded);
      float[][] before = weights(encoder);
      EncoderTrainer.train(encoder, head, SyntheticImages.halves(200, 1, false),
          new Hyperparameters(2e-2, 3, 32, 0.0, 1, 1.0, 0L, 0), null);
      float[][] after = weights(encoder);
      candidates.add(new Candidate(0.0, base));
      candidates.add(new Candidate(0.5, mix(encoder, before, after, 0.5f, modelName, sharded)));
      candidates.add(new Candidate(1.0, save(encoder, modelName, "fine-tuned", sharded)));
    }
    TaskHead patchHead = new TaskHead("halves", "halves-inverted-test", CLASSES, headRef, TaskRole.PATCH);
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, modelName, "halves", "halves-inverted-test", CLASSES,
        null, null, new Selection(SelectionRule.MEAN_ACCURACY, null, null), null);
    DeployedModel deployed = new DeployedModel(modelName, 1, base, SPEC, List.of(patchHead), 1, base);
    CandidatesInterpolated event = new CandidatesInterpolated(task, deployed, patchHead,
        candidates.get(2).checkpoint(), null, "linear", candidates);
    return event;
  }

  private CheckpointRef save(Encoder encoder, String modelName, String name, boolean sharded) throws IOException {
    if (!sharded) {
      Path file = directory.resolve(name + ".safetensors");
      encoder.save(file, Map.of());
      return checkpoints.upload("tasks/" + modelName + "/" + name + ".safetensors", file);
    }
    Path index = Files.createDirectories(directory.resolve(name)).resolve(SHARDED_INDEX);
    encoder.save(index, Map.of());
    return checkpoints.upload("tasks/" + modelName + "/" + name + "/" + SHARDED_INDEX, index);
  }

  private CheckpointRef mix(Encoder encoder, float[][] base, float[][] fineTuned, float alpha, String modelName,
      boolean sharded) throws IOException {
    int i = 0;
    for (Parameter parameter : encoder.parameters().values()) {
      float[] mixed = new float[base[i].length];
      for (int j = 0; j < mixed.length; j++) {
        mixed[j] = (1 - alpha) * base[i][j] + alpha * fineTuned[i][j];
      }
      parameter.getArray().set(mixed);
      i++;
    }
    CheckpointRef stored = save(encoder, modelName, "mixed", sharded);
    i = 0;
    for (Parameter parameter : encoder.parameters().values()) {
      parameter.getArray().set(fineTuned[i++]);
    }
    return stored;
  }

  private static float[][] weights(Encoder encoder) {
    return encoder.parameters().values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
  }

}
