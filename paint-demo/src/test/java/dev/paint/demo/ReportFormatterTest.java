package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.demo.DemoReport.BaseReport;
import dev.paint.demo.DemoReport.ModelReport;
import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.demo.DemoReport.PatchStatus;
import dev.paint.demo.DemoReport.StageTime;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFormatterTest {

  private static final PatchTaskSpec MNIST = new PatchTaskSpec("mnist", "mnist", SampleEvents.DIGITS);

  @Test
  void tablesShowAccuracyAndCurves() {
    DemoReport report = report(promotedPatch());

    String text = ReportFormatter.format(report);

    assertThat(text).contains("version 2 from version 1, alpha 0.50 chosen by rule constrained (tolerance 1.0"
        + " points), 312.5 s from submission to promotion");
    assertThat(text).containsPattern("fashion-mnist +85\\.00 +60\\.25 +83\\.50 +84\\.75 +59\\.50 +82\\.13");
    assertThat(text).containsPattern("mnist +30\\.00 +97\\.50 +91\\.00 +29\\.50 +96\\.00 +90\\.25");
    assertThat(text).containsPattern("validation \\(%\\) at alpha +0\\.00 +0\\.50 +1\\.00");
    assertThat(text).containsPattern("fashion-mnist +85\\.00 +83\\.50 +60\\.25\n");
    assertThat(text).containsPattern("services start +41\\.2");
  }

  @Test
  void tablesShowUnpromotedTaskReason() {
    PatchReport failed = PatchReport.unpromoted("paint-demo-mnist-1", MNIST, PatchStatus.FAILED, 2500,
        "Patch task paint-demo-mnist-1 failed at stage training: loss became NaN");

    String text = ReportFormatter.format(report(failed));

    assertThat(text).contains("Patch task mnist: failed after 2.5 s. Patch task paint-demo-mnist-1 failed at stage"
        + " training: loss became NaN");
  }

  @Test
  void jsonReadsBackEqual(@TempDir Path directory) throws Exception {
    DemoReport report = report(promotedPatch());
    Path file = directory.resolve("nested").resolve("demo-report.json");

    ReportFormatter.writeJson(report, file);

    String json = Files.readString(file);
    assertThat(Json.read(json, DemoReport.class)).isEqualTo(report);
    assertThat(Json.mapper().readTree(json).path("allPromoted").asBoolean()).isTrue();
    assertThat(Json.mapper().readTree(json).at("/models/0/patches/0/accuracy/mnist/patchedTest").asDouble())
        .isEqualTo(90.25);
    assertThat(Json.mapper().readTree(json).at("/models/0/rule").asText()).isEqualTo("constrained");
  }

  @Test
  void reportWithFailedTaskIsNotAllPromoted() {
    PatchReport failed = PatchReport.unpromoted("paint-demo-mnist-1", MNIST, PatchStatus.TIMED_OUT, 60_000, "late");

    DemoReport report = report(promotedPatch(), failed);

    assertThat(report.allPromoted()).isFalse();
  }

  @Test
  void promotedReportCopiesEvaluatorAccuracy() {
    PatchReport patch = promotedPatch();

    assertThat(patch.version()).isEqualTo(2);
    assertThat(patch.previousVersion()).isEqualTo(1);
    assertThat(patch.alpha()).isEqualTo(0.5);
    assertThat(patch.accuracy().get("fashion-mnist")).isEqualTo(new TaskAccuracy(85.0, 60.25, 83.5, 84.75, 59.5,
        82.125));
  }
  private static PatchReport promotedPatch() {
    PatchTaskSubmitted task = SampleEvents.submitted("paint-demo-mnist-1", "paint-demo", "mnist");
    CandidateSelected selected = SampleEvents.selected(task, 1);
    PipelineEvents.Promoted outcome =
        new PipelineEvents.Promoted(task.taskId(), selected, SampleEvents.promoted(selected));
    return PatchScheduler.promotedReport(outcome, MNIST, 312_500);
  }

  private static DemoReport report(PatchReport... patches) {
    ModelReport model = new ModelReport("paint-demo", SelectionRule.CONSTRAINED, 1.0, 1, List.of(patches));
    BaseReport base = new BaseReport("fashion-mnist", "0123456789abcdef", 85.0, 84.75, 300_000, true);
    List<StageTime> stages = List.of(new StageTime("infrastructure start", 9_000),
        new StageTime("services start", 41_200));
    return new DemoReport("1a2b3c4d", Instant.parse("2025-01-02T03:00:00Z"), "/tmp/demo", stages, base,
        List.of(model), null);
  }

}
