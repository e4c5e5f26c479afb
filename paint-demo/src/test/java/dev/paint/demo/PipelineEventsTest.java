package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineEventsTest {

  private final PatchTaskSubmitted task = SampleEvents.submitted("paint-demo-mnist-1a2b", "paint-demo", "mnist");

  @Test
  void deadLetterTaskIdOfSubmission() {
    assertThat(PipelineEvents.deadLetterTaskId(Json.write(task))).isEqualTo("paint-demo-mnist-1a2b");
  }

  @Test
  void deadLetterTaskIdOfLaterEvent() {
    CandidateSelected selected = SampleEvents.selected(task, 1);
    CandidatesInterpolated interpolated = new CandidatesInterpolated(task, selected.base(), selected.patchHead(),
        selected.fineTuned(), selected.training(), "linear", List.of(selected.chosen()));

    assertThat(PipelineEvents.deadLetterTaskId(Json.write(interpolated))).isEqualTo("paint-demo-mnist-1a2b");
  }

  @Test
  void deadLetterTaskIdOfGarbageIsNull() {
    assertThat(PipelineEvents.deadLetterTaskId("{not json")).isNull();
    assertThat(PipelineEvents.deadLetterTaskId("{\"task\": 3}")).isNull();
    assertThat(PipelineEvents.deadLetterTaskId(null)).isNull();
  }
}
