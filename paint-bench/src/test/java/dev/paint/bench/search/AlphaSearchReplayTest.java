package dev.paint.bench.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.json.Json;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay over a report in the demo's JSON layout. The sample's curves are made up to exercise the parser and the
 * constrained rule's reference, and are no measurement.
 */
class AlphaSearchReplayTest {

  @Test
  void replaySkipsUnpromotedPatches() throws Exception {
    List<AlphaSearchReplay.PatchReplay> replays = AlphaSearchReplay.replay(sample());

    assertThat(replays).extracting(AlphaSearchReplay.PatchReplay::patchTask)
        .containsExactly("mnist", "mnist", "uci-digits");
  }

  @Test
  void meanRuleMatchesFullGrid() throws Exception {
    AlphaSearchReplay.PatchReplay replay = AlphaSearchReplay.replay(sample()).get(0);

    // Means over both tasks peak at alpha 0.6 (90.25).
    assertThat(replay.rule()).isEqualTo(SelectionRule.MEAN_ACCURACY);
    assertThat(replay.gridAlpha()).isEqualTo(0.6);
    assertThat(replay.stepsApart()).isLessThanOrEqualTo(1);
    assertThat(replay.searchEvaluations()).isLessThanOrEqualTo(5);
  }

  @Test
  void constrainedRuleUsesFirstVersionReference() throws Exception {
    AlphaSearchReplay.PatchReplay first = AlphaSearchReplay.replay(sample()).get(1);
    AlphaSearchReplay.PatchReplay second = AlphaSearchReplay.replay(sample()).get(2);

    // Fashion-MNIST must stay at 91.3 or above, the base's 92.3 less 1 point, in both patches. Against the second
    // patch's own base (91.4) the limit would be 90.4 and the choice 0.5.
    assertThat(first.gridAlpha()).isEqualTo(0.3);
    assertThat(first.searchAlpha()).isEqualTo(0.3);
    assertThat(second.gridAlpha()).isEqualTo(0.2);
    assertThat(second.stepsApart()).isLessThanOrEqualTo(1);
  }

  @Test
  void tableHasOneRowPerPatch() throws Exception {
    String table = AlphaSearchReplay.table(AlphaSearchReplay.replay(sample()));

    assertThat(table.lines()).hasSize(5);
    assertThat(table).contains("| paint-demo | mean-accuracy | mnist | 0.60 |");
    assertThat(table).contains("| 11 / 5 |");
  }

  private static JsonNode sample() throws Exception {
    try (InputStream input = AlphaSearchReplayTest.class.getResourceAsStream("/demo-report-sample.json")) {
      return Json.mapper().readTree(input);
    }
  }
}
