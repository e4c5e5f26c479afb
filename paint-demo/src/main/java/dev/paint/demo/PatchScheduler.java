package dev.paint.demo;

import dev.paint.demo.DemoReport.ModelReport;
import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.demo.DemoReport.PatchStatus;
import dev.paint.demo.PipelineEvents.Failed;
import dev.paint.demo.PipelineEvents.Outcome;
import dev.paint.demo.PipelineEvents.Promoted;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Patches every model with its tasks in order: a model's next task is submitted only after its previous task was
 * promoted, so each task starts from the version that already handles the tasks before it. The models run
 * interleaved, so one model's fine-tuning can overlap another model's evaluation.
 *
 * <p>The first failed or timed-out task ends the whole run: its reason becomes the run's failure, and the other
 * models' remaining tasks are reported as unfinished or not submitted.
 */
public final class PatchScheduler {

  /**
   * The patch tasks of one model.
   *
   * @param selection the alpha search of every task; its rule is the model's rule
   */
  public record ModelPlan(String modelName, int baseVersion, Selection selection, List<PatchTaskSpec> tasks) {

    public ModelPlan {
      tasks = List.copyOf(tasks);
    }
  }

  /** The result of {@link #run}: the reports, and the reason the run ended early or null. */
  public record Result(List<ModelReport> models, String failure) {}

  private final PatchTaskSubmitter submitter;
  private final PipelineEvents events;
  private final Hyperparameters hyperparameters;
  private final String runId;
  private final Duration taskTimeout;
  private final PrintStream out;

  /** How often the scheduler checks the services while it waits, and how often it prints that it still waits. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(10);
  static final Duration PROGRESS_INTERVAL = Duration.ofMinutes(2);

  private final Supplier<String> pipelineProblem;
  private final Map<String, ModelState> states = new LinkedHashMap<>();
  private final Map<String, InFlight> inFlight = new LinkedHashMap<>();

  /**
   * @param hyperparameters fine-tuning overrides for every task; {@link Hyperparameters#none()} for the trainer's
   *     defaults
   * @param runId suffix of every task id, unique per run
   * @param taskTimeout the longest a task may take from submission to its outcome, queueing behind other tasks
   *     included
   * @param pipelineProblem returns why the pipeline cannot finish a task (a service stopped or broke), or null. It is
   *     checked every 10 s while the scheduler waits
   */
  public PatchScheduler(
      PatchTaskSubmitter submitter, PipelineEvents events, Hyperparameters hyperparameters, String runId,
      Duration taskTimeout, Supplier<String> pipelineProblem, PrintStream out) {
    this.submitter = submitter;
    this.events = events;
    this.hyperparameters = hyperparameters;
    this.runId = runId;
    this.taskTimeout = taskTimeout;
    this.pipelineProblem = pipelineProblem;
    this.out = out;
  }

  /** Submits and follows every plan's tasks; returns when all were promoted or the first one failed. */
  public Result run(List<ModelPlan> plans) throws InterruptedException {
    for (ModelPlan plan : plans) {
      states.put(plan.modelName(), new ModelState(plan));
    }
    for (ModelState state : states.values()) {
      submitNext(state);
    }

    String failure = null;
    long started = System.nanoTime();
    long nextProgress = started + PROGRESS_INTERVAL.toNanos();
    while (!inFlight.isEmpty() && failure == null) {
      long wait = Math.min(earliestDeadline(), System.nanoTime() + CHECK_INTERVAL.toNanos()) - System.nanoTime();
      Outcome outcome = events.next(Duration.ofNanos(Math.max(1, wait)));
      if (outcome != null) {
        failure = record(outcome);
        continue;
      }

      failure = pipelineProblem.get();
      if (failure == null) {
        failure = failTimedOutTasks();
      }
      if (System.nanoTime() > nextProgress) {
        out.printf("  waiting for patch tasks %s, %.1f min since the first submission%n", inFlight.keySet(),
            (System.nanoTime() - started) / 60e9);
        nextProgress += PROGRESS_INTERVAL.toNanos();
      }
    }

    return new Result(reports(failure != null), failure);
  }

  private void submitNext(ModelState state) {
    if (state.next >= state.plan.tasks().size()) {
      return;
    }
    PatchTaskSpec spec = state.plan.tasks().get(state.next++);
    String taskId = state.plan.modelName() + "-" + spec.task() + "-" + runId;
    PatchTaskSubmitted task = new PatchTaskSubmitted(taskId, state.plan.modelName(), spec.task(), spec.dataset(),
        spec.classNames(), null, hyperparameters, state.plan.selection(), Instant.now());

    events.watch(taskId, spec.task());
    long submitted = System.nanoTime();
    submitter.submit(task);
    inFlight.put(taskId, new InFlight(state, spec, submitted, submitted + taskTimeout.toNanos()));
    out.printf("  submitted patch task %s: model %s, task %s, rule %s%n", taskId, state.plan.modelName(),
        spec.task(), state.plan.selection().rule().id());
  }

  /** Records an outcome and submits the model's next task; returns the failure reason, or null. */
  private String record(Outcome outcome) {
    InFlight task = inFlight.remove(outcome.taskId());
    if (task == null) {
      return null;
    }
    long millis = (System.nanoTime() - task.submittedNanos) / 1_000_000;

    if (outcome instanceof Failed failed) {
      String reason = "Patch task " + outcome.taskId() + " failed at stage " + failed.failure().stage() + ": "
          + failed.failure().reason();
      task.state.reports.add(PatchReport.unpromoted(outcome.taskId(), task.spec, PatchStatus.FAILED, millis, reason));
      return reason;
    }

    Promoted promoted = (Promoted) outcome;
    task.state.reports.add(promotedReport(promoted, task.spec, millis));
    out.printf("  patch task %s of model %s promoted %.1f s after submission%n", outcome.taskId(),
        task.state.plan.modelName(), millis / 1000.0);
    submitNext(task.state);
    return null;
  }

  /** Marks every task past its deadline as timed out; returns the failure reason, or null when none is. */
  private String failTimedOutTasks() {
    long now = System.nanoTime();
    String failure = null;
    for (var iterator = inFlight.entrySet().iterator(); iterator.hasNext(); ) {
      var entry = iterator.next();
      InFlight task = entry.getValue();
      if (now < task.deadlineNanos) {
        continue;
      }
      iterator.remove();
      String reason = String.format(Locale.ROOT,
          "Patch task %s of model %s was not promoted within %d min; see the service logs for the stage it reached",
          entry.getKey(), task.state.plan.modelName(), taskTimeout.toMinutes());
      task.state.reports.add(PatchReport.unpromoted(
          entry.getKey(), task.spec, PatchStatus.TIMED_OUT, (now - task.submittedNanos) / 1_000_000, reason));
      failure = failure == null ? reason : failure;
    }
    return failure;
  }

  /** Returns the model reports; after a failure, the tasks still running or never submitted are listed as such. */
  private List<ModelReport> reports(boolean ended) {
    if (ended) {
      long now = System.nanoTime();
      inFlight.forEach((taskId, task) -> task.state.reports.add(PatchReport.unpromoted(taskId, task.spec,
          PatchStatus.UNFINISHED, (now - task.submittedNanos) / 1_000_000, "The run ended before this task did")));
      for (ModelState state : states.values()) {
        for (PatchTaskSpec spec : state.plan.tasks().subList(state.next, state.plan.tasks().size())) {
          state.reports.add(PatchReport.unpromoted(null, spec, PatchStatus.NOT_SUBMITTED, 0,
              "Not submitted because the run ended first"));
        }
      }
    }

    List<ModelReport> reports = new ArrayList<>();
    for (ModelState state : states.values()) {
      Selection selection = state.plan.selection();
      reports.add(new ModelReport(state.plan.modelName(), selection.rule(), selection.tolerancePoints(),
          state.plan.baseVersion(), state.reports));
    }
    return reports;
  }

  private long earliestDeadline() {
    return inFlight.values().stream().mapToLong(task -> task.deadlineNanos).min().orElse(System.nanoTime());
  }

  static PatchReport promotedReport(Promoted outcome, PatchTaskSpec spec, long millis) {
    CandidateSelected selected = outcome.selected();
    ModelPromoted promoted = outcome.promoted();
    // The evaluator reports its configured tolerance with every rule, but only the constrained rule uses it.
    Double tolerance = selected.rule() == SelectionRule.CONSTRAINED ? selected.tolerancePoints() : null;
    return new PatchReport(outcome.taskId(), spec.task(), spec.dataset(), PatchStatus.PROMOTED, promoted.version(),
        selected.base().version(), selected.chosen().alpha(), selected.rule(), tolerance,
        selected.alphas(), selected.validationCurves(), selected.accuracy(), selected.training(), millis, null);
  }

  private static final class ModelState {
    private final ModelPlan plan;
    private final List<PatchReport> reports = new ArrayList<>();
    private int next;

    private ModelState(ModelPlan plan) {
      this.plan = plan;
    }
  }

  private record InFlight(ModelState state, PatchTaskSpec spec, long submittedNanos, long deadlineNanos) {}
}
