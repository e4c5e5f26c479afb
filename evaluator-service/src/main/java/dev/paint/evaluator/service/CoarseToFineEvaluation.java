package dev.paint.evaluator.service;

import ai.djl.Device;
import dev.paint.evaluator.config.EvaluatorConfig;
import dev.paint.evaluator.selection.AlphaSelector;
import dev.paint.evaluator.selection.CoarseToFineSearch;
import dev.paint.evaluator.selection.ValidationCurves;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CandidatesRequested;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.model.Devices;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.StageRecords;
import dev.paint.shared.storage.WorkDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one round of a coarse-to-fine alpha search per candidates event: evaluates the round's new candidates, stores
 * everything measured so far, and then either requests the next round's candidates or chooses among the evaluated
 * ones. Each round's measurements are a stage record keyed by task id and round, so a redelivered round reuses
 * them instead of evaluating its candidates again.
 */
@ApplicationScoped
public class CoarseToFineEvaluation {

  /** Stage record of the choice, the same one the grid search stores. */
  public static final String SELECTED_STAGE = "selected";
  private static final Logger LOG = Logger.getLogger(CoarseToFineEvaluation.class);

  @Inject EvaluationService evaluation;
  @Inject CheckpointStore checkpoints;
  @Inject StageRecords stages;
  @Inject EvaluatorConfig config;
  @Inject MeterRegistry meters;

  /** The result of a round: a request for more candidates, or the choice. Exactly one is present. */
  public record RoundOutcome(Optional<CandidatesRequested> request, Optional<CandidateSelected> selected) {}

  /** Returns the stage record name of a round's measurements. */
  public static String measuredStage(int round) {
    return "evaluated-round-" + round;
  }

  public RoundOutcome evaluateRound(CandidatesInterpolated event) {
    String modelName = event.task().modelName();
    String taskId = event.task().taskId();
    SearchProgress progress = stages.once(modelName, taskId, measuredStage(event.round()), SearchProgress.class,
        () -> measure(event, previousRound(event)));

    Map<String, TaskRole> roles = roles(event);
    ValidationCurves curves = progress.curves(roles);
    AlphaSelector selector = AlphaSelector.forRule(evaluation.rule(event));
    List<Double> next = CoarseToFineSearch.nextAlphas(event.grid(), curves, selector, evaluation.tolerance(event));
    if (!next.isEmpty()) {
      LOG.infof("Round %d of task %s (model %s) measured alphas %s; requesting alphas %s", event.round(), taskId,
          modelName, curves.alphas(), next);
      return new RoundOutcome(Optional.of(new CandidatesRequested(event.task(), event.base(), event.patchHead(),
          event.fineTuned(), event.training(), event.grid(), event.round() + 1, next)), Optional.empty());
    }

    CandidateSelected selected = stages.once(modelName, taskId, SELECTED_STAGE, CandidateSelected.class,
        () -> select(event, progress));
    return new RoundOutcome(Optional.empty(), Optional.of(selected));
  }

  private SearchProgress previousRound(CandidatesInterpolated event) {
    if (event.round() == 1) {
      return SearchProgress.start();
    }
    int previous = event.round() - 1;
    return stages.find(event.task().modelName(), event.task().taskId(), measuredStage(previous), SearchProgress.class)
        .orElseThrow(() -> new IllegalStateException("No measurements of round " + previous + " of patch task "
            + event.task().taskId() + " (model " + event.task().modelName() + ") for its round " + event.round()
            + ": the stage record " + measuredStage(previous) + " is missing; resubmit the patch task"));
  }

  private SearchProgress measure(CandidatesInterpolated event, SearchProgress previous) {
    long started = System.nanoTime();
    List<Candidate> added = event.candidates().stream()
        .filter(candidate -> !previous.measuredAlpha(candidate.alpha()))
        .sorted(Comparator.comparingDouble(Candidate::alpha))
        .toList();

    try (WorkDirectory work = workDirectory(event)) {
      CheckpointEvaluator evaluator = checkpointEvaluator(event, work);
      List<TaskData> tasks = evaluation.loadTasks(EvaluationService.seenTasks(event), event.base().architecture(), work);
      Map<String, double[]> curves = EvaluationService.validationCurves(evaluator, added, tasks);
      Map<String, Double> reference = previous.referenceAccuracy() != null ? previous.referenceAccuracy()
          : EvaluationService.referenceAccuracy(evaluator, event, tasks, added, curves);

      List<SearchProgress.MeasuredCandidate> measured = new ArrayList<>();
      for (int i = 0; i < added.size(); i++) {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (TaskData task : tasks) {
          accuracy.put(task.name(), curves.get(task.name())[i]);
        }
        measured.add(new SearchProgress.MeasuredCandidate(added.get(i), accuracy));
      }
      meters.timer("paint.evaluator.duration", "model", event.task().modelName())
          .record(Duration.ofNanos(System.nanoTime() - started));
      return previous.plus(event.round(), measured, reference);
    }
  }

  private CandidateSelected select(CandidatesInterpolated event, SearchProgress progress) {
    long started = System.nanoTime();
    SelectionRule rule = evaluation.rule(event);
    double tolerance = evaluation.tolerance(event);
    List<Candidate> candidates = progress.candidates();
    ValidationCurves validation = progress.curves(roles(event));
    int chosenIndex = AlphaSelector.forRule(rule).select(validation, tolerance);
    Candidate chosen = candidates.get(chosenIndex);
    LOG.infof("Chose alpha %.2f for task %s of model %s by rule %s after %d of %d candidates in %d rounds",
        chosen.alpha(), event.task().taskId(), event.task().modelName(), rule.id(), candidates.size(),
        event.grid().size(), event.round());

    try (WorkDirectory work = workDirectory(event)) {
      CheckpointEvaluator evaluator = checkpointEvaluator(event, work);
      List<TaskData> tasks = evaluation.loadTasks(EvaluationService.seenTasks(event), event.base().architecture(), work);
      Map<String, TaskAccuracy> accuracy = EvaluationService.reportAccuracy(evaluator, event, tasks, candidates,
          validation.accuracy(), chosenIndex);
      evaluation.recordMetrics(event, AlphaSearch.COARSE_TO_FINE, validation.alphas(),
          validation.accuracy(), chosen, System.nanoTime() - started);
      return new CandidateSelected(event.task(), event.base(), event.patchHead(), event.fineTuned(), event.training(),
          chosen, rule, tolerance, validation.alphas(), EvaluationService.curveLists(validation.accuracy()), accuracy,
          AlphaSearch.COARSE_TO_FINE, candidates.size());
    }
  }

  private WorkDirectory workDirectory(CandidatesInterpolated event) {
    return WorkDirectory.create(config.workDirectory(), "paint-evaluator-" + event.task().taskId() + "-",
        "paint.evaluator.work-directory");
  }

  private CheckpointEvaluator checkpointEvaluator(CandidatesInterpolated event, WorkDirectory work) {
    Device device = Devices.select(config.preferGpu());
    return new CheckpointEvaluator(checkpoints, event.base().architecture(), device, work);
  }

  private static Map<String, TaskRole> roles(CandidatesInterpolated event) {
    Map<String, TaskRole> roles = new LinkedHashMap<>();
    for (TaskHead task : EvaluationService.seenTasks(event)) {
      roles.put(task.task(), task.role());
    }
    return roles;
  }
}
