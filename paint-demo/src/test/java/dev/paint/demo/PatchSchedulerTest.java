package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.demo.DemoReport.ModelReport;
import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.demo.DemoReport.PatchStatus;
import dev.paint.local.LocalKafkaBroker;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scheduler against a real broker, with {@link PipelineResponder} publishing events in place of the services. */
class PatchSchedulerTest {

  private static final List<PatchTaskSpec> TASKS = List.of(
      new PatchTaskSpec("mnist", "mnist", SampleEvents.DIGITS),
      new PatchTaskSpec("uci-digits", "uci-digits", SampleEvents.DIGITS));
  private static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);

  private static LocalKafkaBroker broker;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void secondTaskWaitsForFirstPromotion() throws Exception {
    String model = uniqueModel();
    PatchScheduler.Result result;
    List<PipelineResponder.Step> steps;

    try (PipelineResponder responder = new PipelineResponder(broker.bootstrapServers(), model,
        PipelineResponder::promote)) {
      result = run(model, TASK_TIMEOUT);
      steps = responder.steps();
    }

    assertThat(result.failure()).isNull();
    assertThat(steps).extracting(PipelineResponder.Step::description).containsExactly(
        "submitted " + model + "-mnist-run1", "selected " + model + "-mnist-run1", "promoted " + model + "-mnist-run1",
        "submitted " + model + "-uci-digits-run1", "selected " + model + "-uci-digits-run1",
        "promoted " + model + "-uci-digits-run1");
    assertThat(steps.get(3).at()).isAfterOrEqualTo(steps.get(2).at());
    ModelReport report = result.models().get(0);
    assertThat(report.patches()).extracting(PatchReport::status)
        .containsExactly(PatchStatus.PROMOTED, PatchStatus.PROMOTED);
    assertThat(report.patches()).extracting(PatchReport::version).containsExactly(2, 3);
    assertThat(report.patches()).extracting(PatchReport::previousVersion).containsExactly(1, 2);
  }

  @Test
  void promotionIsPrintedAsItArrives() throws Exception {
    String model = uniqueModel();

    try (PipelineResponder responder = new PipelineResponder(broker.bootstrapServers(), model,
        PipelineResponder::promote)) {
      run(model, TASK_TIMEOUT);
    }

    assertThat(output.toString(StandardCharsets.UTF_8))
        .contains("promoted: model " + model + " version 2 (was 1), task mnist (id " + model + "-mnist-run1), alpha"
            + " 0.50")
        .contains("promoted: model " + model + " version 3 (was 2), task uci-digits");
  }

  @Test
  void promotionBeforeSelectionStillCompletes() throws Exception {
    String model = uniqueModel();
    PatchScheduler.Result result;

    try (PipelineResponder responder = new PipelineResponder(broker.bootstrapServers(), model, (self, task) -> {
      var selected = SampleEvents.selected(task, 1);
      self.publish(Topics.MODEL_PROMOTED, EventTypes.MODEL_PROMOTED, task, SampleEvents.promoted(selected));
      self.publish(Topics.CANDIDATE_SELECTED, EventTypes.CANDIDATE_SELECTED, task, selected);
    })) {
      result = run(model, TASK_TIMEOUT);
    }

    assertThat(result.failure()).isNull();
    assertThat(result.models().get(0).patches()).extracting(PatchReport::alpha).containsExactly(0.5, 0.5);
  }

  @Test
  void failedTaskEndsRunWithReason() throws Exception {
    String model = uniqueModel();
    PatchScheduler.Result result;
    List<PipelineResponder.Step> steps;

    try (PipelineResponder responder = new PipelineResponder(broker.bootstrapServers(), model, (self, task) ->
        self.publish(Topics.PATCH_TASK_FAILED, EventTypes.PATCH_TASK_FAILED, task,
            SampleEvents.failed(task, "Training loss became NaN at step 3")))) {
      result = run(model, TASK_TIMEOUT);
      steps = responder.steps();
    }

    assertThat(result.failure()).isEqualTo(
        "Patch task " + model + "-mnist-run1 failed at stage training: Training loss became NaN at step 3");
    assertThat(result.models().get(0).patches()).extracting(PatchReport::status)
        .containsExactly(PatchStatus.FAILED, PatchStatus.NOT_SUBMITTED);
    assertThat(steps).extracting(PipelineResponder.Step::description)
        .containsExactly("submitted " + model + "-mnist-run1", "failed " + model + "-mnist-run1");
  }

  @Test
  void deadLetteredTaskEndsRunWithReason() throws Exception {
    String model = uniqueModel();
    PatchScheduler.Result result;

    try (PipelineResponder responder = new PipelineResponder(broker.bootstrapServers(), model, (self, task) ->
        self.publishDeadLetter("dead-letter-topic-patch-task-submitted", task, "NoClassDefFoundError: Engine"))) {
      result = run(model, TASK_TIMEOUT);
    }

    assertThat(result.failure()).isEqualTo("Patch task " + model + "-mnist-run1 failed at stage dead letter"
        + " patch-task-submitted: NoClassDefFoundError: Engine; see the service's log");
    assertThat(result.models().get(0).patches()).extracting(PatchReport::status)
        .containsExactly(PatchStatus.FAILED, PatchStatus.NOT_SUBMITTED);
  }

  @Test
  void silentPipelineTimesOut() throws Exception {
    String model = uniqueModel();

    PatchScheduler.Result result = run(model, Duration.ofSeconds(3));

    assertThat(result.failure()).contains(model + "-mnist-run1").contains("was not promoted within");
    assertThat(result.models().get(0).patches()).extracting(PatchReport::status)
        .containsExactly(PatchStatus.TIMED_OUT, PatchStatus.NOT_SUBMITTED);
  }

  @Test
  void stoppedServiceEndsRun() throws Exception {
    String model = uniqueModel();
    PatchScheduler.Result result;

    try (PipelineEvents events = PipelineEvents.start(broker.bootstrapServers(), out);
        PatchTaskSubmitter submitter = new PatchTaskSubmitter(broker.bootstrapServers())) {
      PatchScheduler scheduler = new PatchScheduler(submitter, events, Hyperparameters.none(), "run1", TASK_TIMEOUT,
          () -> "Service(s) [TRAINER] stopped", out);
      result = scheduler.run(List.of(plan(model)));
    }

    assertThat(result.failure()).isEqualTo("Service(s) [TRAINER] stopped");
    assertThat(result.models().get(0).patches()).extracting(PatchReport::status)
        .containsExactly(PatchStatus.UNFINISHED, PatchStatus.NOT_SUBMITTED);
  }

  private PatchScheduler.Result run(String model, Duration taskTimeout) throws InterruptedException {
    try (PipelineEvents events = PipelineEvents.start(broker.bootstrapServers(), out);
        PatchTaskSubmitter submitter = new PatchTaskSubmitter(broker.bootstrapServers())) {
      PatchScheduler scheduler =
          new PatchScheduler(submitter, events, Hyperparameters.none(), "run1", taskTimeout, () -> null, out);
      return scheduler.run(List.of(plan(model)));
    }
  }

  private static PatchScheduler.ModelPlan plan(String model) {
    return new PatchScheduler.ModelPlan(model, 1, new Selection(SelectionRule.CONSTRAINED, 1.0, SampleEvents.ALPHAS),
        TASKS);
  }

  private static String uniqueModel() {
    return "model-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
