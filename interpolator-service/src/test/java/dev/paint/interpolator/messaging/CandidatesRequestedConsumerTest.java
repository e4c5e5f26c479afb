package dev.paint.interpolator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CandidatesRequested;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpolator's part of a coarse-to-fine search against a real broker and object store: the fine-tuned event
 * writes only the first round, and each request writes only the requested alphas.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class CandidatesRequestedConsumerTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 4, List.of(), List.of(), 2, 10.0);
  private static final List<Double> GRID = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);

  @Inject CheckpointStore checkpoints;
  @TempDir Path directory;

  private CheckpointFixtures fixtures() {
    return new CheckpointFixtures(checkpoints, directory);
  }

  @Test
  void fineTunedEventWritesFirstRoundOnly() throws Exception {
    String taskId = "search-" + UUID.randomUUID();
    EncoderFineTuned event = fineTuned(taskId);

    KafkaEvents.publish(bootstrap(), Topics.ENCODER_FINE_TUNED, "m", EventTypes.ENCODER_FINE_TUNED, event);
    CandidatesInterpolated round = awaitRound(taskId, 1);

    assertThat(round.search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
    assertThat(round.grid()).isEqualTo(GRID);
    assertThat(round.candidates()).extracting(c -> c.alpha()).containsExactly(0.0, 0.5, 1.0);
    assertThat(candidateKeys(taskId)).containsExactly(
        "tasks/m/" + taskId + "/candidates/alpha-0.00.safetensors",
        "tasks/m/" + taskId + "/candidates/alpha-0.50.safetensors",
        "tasks/m/" + taskId + "/candidates/alpha-1.00.safetensors");
  }

  @Test
  void requestWritesOnlyRequestedAlphas() throws Exception {
    String taskId = "search-" + UUID.randomUUID();
    EncoderFineTuned source = fineTuned(taskId);
    CandidatesRequested request = new CandidatesRequested(source.task(), source.base(), source.patchHead(),
        source.fineTuned(), null, GRID, 2, List.of(0.3));

    KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_REQUESTED, "m", EventTypes.CANDIDATES_REQUESTED, request);
    CandidatesInterpolated round = awaitRound(taskId, 2);

    assertThat(round.search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
    assertThat(round.grid()).isEqualTo(GRID);
    assertThat(round.candidates()).extracting(c -> c.alpha()).containsExactly(0.3);
    assertThat(candidateKeys(taskId)).containsExactly("tasks/m/" + taskId + "/candidates/alpha-0.30.safetensors");
    assertThat(fixtures().weights(round.candidates().get(0).checkpoint())).containsExactly(3f, 5f, 7f, 9f);
  }

  @Test
  void redeliveredRequestRepublishesSameCandidates() throws Exception {
    String taskId = "search-" + UUID.randomUUID();
    EncoderFineTuned source = fineTuned(taskId);
    CandidatesRequested request = new CandidatesRequested(source.task(), source.base(), source.patchHead(),
        source.fineTuned(), null, GRID, 3, List.of(0.7));

    KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_REQUESTED, "m", EventTypes.CANDIDATES_REQUESTED, request);
    CandidatesInterpolated first = awaitRound(taskId, 3);
    KafkaEvents.publish(bootstrap(), Topics.CANDIDATES_REQUESTED, "m", EventTypes.CANDIDATES_REQUESTED, request);
    int[] matches = {0};
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(bootstrap(),
        Topics.CANDIDATES_INTERPOLATED, r -> r.value().contains(taskId) && ++matches[0] == 2, Duration.ofSeconds(60));

    CandidatesInterpolated second = Json.read(records.get(records.size() - 1).value(), CandidatesInterpolated.class);
    assertThat(second.round()).isEqualTo(3);
    assertThat(second.candidates()).isEqualTo(first.candidates());
    assertThat(candidateKeys(taskId)).hasSize(1);
  }

  private CandidatesInterpolated awaitRound(String taskId, int round) {
    List<ConsumerRecord<String, String>> records = KafkaEvents.awaitRecord(bootstrap(),
        Topics.CANDIDATES_INTERPOLATED, r -> r.value().contains(taskId), Duration.ofSeconds(60));
    ConsumerRecord<String, String> record = records.get(records.size() - 1);
    CandidatesInterpolated event = Json.read(record.value(), CandidatesInterpolated.class);
    assertThat(event.round()).isEqualTo(round);
    return event;
  }

  private List<String> candidateKeys(String taskId) {
    return checkpoints.objectStore().list("tasks/m/" + taskId + "/candidates/").stream()
        .filter(key -> key.endsWith(".safetensors"))
        .sorted()
        .toList();
  }

  private EncoderFineTuned fineTuned(String taskId) throws Exception {
    CheckpointRef base = fixtures().store("base", new float[] {0f, 2f, 4f, 6f}, taskId);
    CheckpointRef fineTuned = fixtures().store("fine-tuned", new float[] {10f, 12f, 14f, 16f}, taskId);
    TaskHead head = new TaskHead("t", "d", List.of("a", "b"), base, TaskRole.SUPPORTED);
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, "m", "t2", "d2", List.of("a", "b"), null, null,
        new Selection(null, null, null, AlphaSearch.COARSE_TO_FINE), null);
    DeployedModel deployed = new DeployedModel("m", 1, base, SPEC, List.of(head), 1, base);
    return new EncoderFineTuned(task, deployed, head, fineTuned, null);
  }

  private static String bootstrap() {
    return LocalStackResource.broker().bootstrapServers();
  }
}
