package dev.paint.evaluator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.paint.evaluator.service.CoarseToFineEvaluation;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CandidatesRequested;
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
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.StageRecords;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import dev.paint.testing.SyntheticImages;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coarse-to-fine search through the evaluator against a real broker and object store. The test plays the
 * interpolator: it writes the first round's candidates and then only the alphas that each request names.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class CoarseToFineSearchConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 8, 10.0);
  private static final List<String> CLASSES = List.of("top", "bottom");
  private static final List<Double> GRID = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);

  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @Inject StageRecords stages;
  @Inject MeterRegistry meters;
  @TempDir Path directory;

  private String modelName;
  private String taskId;
  private float[][] baseWeights;
  private float[][] fineTunedWeights;
  private CandidatesInterpolated lastFirstRound;

  @Test
  void searchSelectsAfterRequestedRounds() throws Exception {
    modelName = "search-" + UUID.randomUUID().toString().substring(0, 8);
    taskId = "search-" + UUID.randomUUID();
    CandidatesInterpolated first = firstRound();
    lastFirstRound = first;
    Map<Double, CheckpointRef> written = new LinkedHashMap<>();
    first.candidates().forEach(candidate -> written.put(candidate.alpha(), candidate.checkpoint()));

    KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_INTERPOLATED, modelName, EventTypes.CANDIDATES_INTERPOLATED,
        first);
    CandidateSelected selected = answerRequests(first, written);

    assertThat(selected.search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
    assertThat(selected.evaluations()).isBetween(4, 5);
    assertThat(selected.alphas()).containsExactlyElementsOf(written.keySet().stream().sorted().toList());
    assertThat(selected.validationCurves().get("halves")).hasSize(selected.evaluations());
    assertThat(candidateKeys()).containsExactlyElementsOf(
        written.keySet().stream().sorted().map(alpha -> ObjectKeys.candidate(modelName, taskId, alpha)).toList());
    assertThat(selected.chosen().checkpoint()).isEqualTo(written.get(selected.chosen().alpha()));
    assertThat(sha256(selected.chosen().checkpoint().key())).isEqualTo(selected.chosen().checkpoint().sha256());
    assertThat(meters.find("paint.evaluator.candidate.evaluations").tags("model", modelName, "search", "coarse-to-fine")
        .counter().count()).isEqualTo(selected.evaluations().doubleValue());
    assertThat(selected.accuracy().get("halves").patchedValidation())
        .isEqualTo(selected.validationCurves().get("halves").get(selected.alphas().indexOf(selected.chosen().alpha())));
  }

  @Test
  void redeliveredRoundReusesMeasurements() throws Exception {
    searchSelectsAfterRequestedRounds();
    String roundOneKey = "tasks/" + modelName + "/" + taskId + "/stages/" + CoarseToFineEvaluation.measuredStage(1)
        + ".json";
    byte[] measuredBefore = checkpoints.objectStore().getBytes(roundOneKey);

    KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_INTERPOLATED, modelName, EventTypes.CANDIDATES_INTERPOLATED,
        lastFirstRound);
    int[] matches = {0};
    ConsumerRecord<String, String> repeated = KafkaEvents.awaitFirst(bootstrap(),
        List.of(Topics.CANDIDATES_REQUESTED), r -> r.value().contains(taskId) && Json.read(r.value(), CandidatesRequested.class).round() == 2
            && ++matches[0] == 2,
        Duration.ofSeconds(90));

    assertThat(Json.read(repeated.value(), CandidatesRequested.class).alphas()).hasSize(1);
    assertThat(checkpoints.objectStore().getBytes(roundOneKey)).isEqualTo(measuredBefore);
    assertThat(stages.find(modelName, taskId, CoarseToFineEvaluation.measuredStage(2), Object.class)).isPresent();
    assertThat(stages.find(modelName, taskId, CoarseToFineEvaluation.SELECTED_STAGE, CandidateSelected.class))
        .isPresent();
  }

  /** Writes each requested round like the interpolator would, until the evaluator publishes its choice. */
  private CandidateSelected answerRequests(CandidatesInterpolated first, Map<Double, CheckpointRef> written)
      throws Exception {
    int round = 1;
    while (true) {
      int expectedRound = round + 1;
      ConsumerRecord<String, String> record = KafkaEvents.awaitFirst(bootstrap(),
          List.of(Topics.CANDIDATES_REQUESTED, Topics.CANDIDATE_SELECTED, Topics.PATCH_TASK_FAILED),
          r -> r.value().contains(taskId) && (!r.topic().equals(Topics.CANDIDATES_REQUESTED)
              || Json.read(r.value(), CandidatesRequested.class).round() == expectedRound),
          Duration.ofSeconds(90));
      assertThat(record.topic()).as("event %s", record.value()).isNotEqualTo(Topics.PATCH_TASK_FAILED);
      if (record.topic().equals(Topics.CANDIDATE_SELECTED)) {
        return Json.read(record.value(), CandidateSelected.class);
      }

      CandidatesRequested request = Json.read(record.value(), CandidatesRequested.class);
      assertThat(request.alphas()).doesNotContainAnyElementsOf(written.keySet());
      List<Candidate> candidates = writeCandidates(request.alphas());
      candidates.forEach(candidate -> written.put(candidate.alpha(), candidate.checkpoint()));
      CandidatesInterpolated next = new CandidatesInterpolated(first.task(), first.base(), first.patchHead(),
          first.fineTuned(), null, "linear", candidates, AlphaSearch.COARSE_TO_FINE, GRID, request.round());
      KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_INTERPOLATED, modelName, EventTypes.CANDIDATES_INTERPOLATED,
          next);
      round = request.round();
    }
  }

  private CandidatesInterpolated firstRound() throws Exception {
    Dataset dataset = new Dataset("halves-search", CLASSES, SyntheticImages.halves(200, 1, false),
        SyntheticImages.halves(60, 2, false), SyntheticImages.halves(60, 3, false));
    datasets.upload(dataset, Map.of());
    Path headFile = directory.resolve("head.safetensors");
    ClassificationHead head = ClassificationHead.random(2, SPEC.embeddingDim(), 5);
    head.save(headFile, Map.of());
    CheckpointRef headRef = checkpoints.upload(ObjectKeys.head(modelName, "halves"), headFile);
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 3)) {
      baseWeights = weights(encoder);
      EncoderTrainer.train(encoder, head, SyntheticImages.halves(200, 1, false),
          new Hyperparameters(2e-2, 3, 32, 0.0, 1, 1.0, 0L, 0), null);
      fineTunedWeights = weights(encoder);
    }

    List<Candidate> candidates = writeCandidates(AlphaSearch.COARSE_TO_FINE.firstRound(GRID));
    TaskHead patchHead = new TaskHead("halves", "halves-search", CLASSES, headRef, TaskRole.PATCH);
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, modelName, "halves", "halves-search", CLASSES, null,
        null, new Selection(SelectionRule.MEAN_ACCURACY, null, GRID, AlphaSearch.COARSE_TO_FINE), null);
    CheckpointRef base = candidates.get(0).checkpoint();
    CheckpointRef fineTuned = candidates.get(candidates.size() - 1).checkpoint();
    DeployedModel deployed = new DeployedModel(modelName, 1, base, SPEC, List.of(patchHead), 1, base);
    return new CandidatesInterpolated(task, deployed, patchHead, fineTuned, null, "linear", candidates,
        AlphaSearch.COARSE_TO_FINE, GRID, 1);
  }

  /** Mixes and stores one candidate per alpha under the interpolator's keys. */
  private List<Candidate> writeCandidates(List<Double> alphas) {
    List<Candidate> candidates = new ArrayList<>();
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 3)) {
      for (double alpha : alphas) {
        int i = 0;
        for (Parameter parameter : encoder.parameters().values()) {
          float[] mixed = new float[baseWeights[i].length];
          for (int j = 0; j < mixed.length; j++) {
            mixed[j] = (float) ((1 - alpha) * baseWeights[i][j] + alpha * fineTunedWeights[i][j]);
          }
          parameter.getArray().set(mixed);
          i++;
        }
        Path file = directory.resolve("candidate-" + alpha + ".safetensors");
        encoder.save(file, Map.of());
        candidates.add(new Candidate(alpha, checkpoints.upload(ObjectKeys.candidate(modelName, taskId, alpha), file)));
      }
    }
    return candidates;
  }

  private List<String> candidateKeys() {
    return checkpoints.objectStore().list("tasks/" + modelName + "/" + taskId + "/candidates/").stream()
        .filter(key -> key.endsWith(".safetensors"))
        .sorted()
        .toList();
  }

  private String sha256(String key) throws Exception {
    byte[] bytes = checkpoints.objectStore().getBytes(key);
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static float[][] weights(Encoder encoder) {
    return encoder.parameters().values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
  }

  private static String bootstrap() {
    return LocalStackResource.broker().bootstrapServers();
  }
}
