package dev.paint.shared.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlphaSearchEventsTest {

  private static final List<Double> GRID = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
  private static final CheckpointRef REF = new CheckpointRef("tasks/m/t/fine-tuned.safetensors", "ab", 1);
  private static final TaskHead HEAD = new TaskHead("mnist", "mnist", List.of("0", "1"), REF, TaskRole.PATCH);
  private static final PatchTaskSubmitted TASK =
      new PatchTaskSubmitted("t", "m", "mnist", "mnist", List.of("0", "1"), null, null, null, null);
  private static final DeployedModel BASE = new DeployedModel("m", 1, REF, EncoderSpec.DEMO, List.of(HEAD), 1, REF);

  @Test
  void firstRoundIsEndpointsAndMiddle() {
    assertThat(AlphaSearch.COARSE_TO_FINE.firstRound(GRID)).containsExactly(0.0, 0.5, 1.0);
    assertThat(AlphaSearch.COARSE_TO_FINE.firstRound(List.of(0.0, 1.0))).containsExactly(0.0, 1.0);
    assertThat(AlphaSearch.GRID.firstRound(GRID)).isEqualTo(GRID);
  }

  @Test
  void searchIdsRoundTrip() {
    Selection selection = new Selection(null, null, null, AlphaSearch.COARSE_TO_FINE);

    String json = Json.write(selection);

    assertThat(json).contains("\"search\":\"coarse-to-fine\"");
    assertThat(Json.read(json, Selection.class)).isEqualTo(selection);
    assertThatThrownBy(() -> AlphaSearch.fromId("binary")).isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("binary");
  }

  @Test
  void interpolatedWithoutSearchFieldsIsOneGridRound() throws Exception {
    CandidatesInterpolated event = new CandidatesInterpolated(TASK, BASE, HEAD, REF, null, "linear",
        List.of(new Candidate(1.0, REF), new Candidate(0.0, REF)));
    ObjectNode older = Json.mapper().valueToTree(event);
    older.remove(List.of("search", "grid", "round"));

    CandidatesInterpolated read = Json.read(Json.write(older), CandidatesInterpolated.class);

    assertThat(older.has("round")).isFalse();
    assertThat(read.search()).isEqualTo(AlphaSearch.GRID);
    assertThat(read.grid()).containsExactly(0.0, 1.0);
    assertThat(read.round()).isEqualTo(1);
  }

  @Test
  void selectedWithoutEvaluationsCountsAlphas() {
    CandidateSelected event = new CandidateSelected(TASK, BASE, HEAD, REF, null, new Candidate(0.5, REF),
        SelectionRule.MEAN_ACCURACY, 1.0, List.of(0.0, 0.5, 1.0), null, null);

    assertThat(event.search()).isEqualTo(AlphaSearch.GRID);
    assertThat(event.evaluations()).isEqualTo(3);
  }

  @Test
  void requestRejectsAlphaOffGrid() {
    assertThatThrownBy(() -> new CandidatesRequested(TASK, BASE, HEAD, REF, null, GRID, 2, List.of(0.55)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("0.55");
  }

  @Test
  void requestRejectsFirstRound() {
    assertThatThrownBy(() -> new CandidatesRequested(TASK, BASE, HEAD, REF, null, GRID, 1, List.of(0.3)))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageContaining("round 1");
  }
}
