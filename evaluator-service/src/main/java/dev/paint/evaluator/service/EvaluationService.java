package dev.paint.evaluator.service;

import ai.djl.Device;
import dev.paint.evaluator.config.EvaluatorConfig;
import dev.paint.evaluator.selection.AlphaSelector;
import dev.paint.evaluator.selection.ValidationCurves;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Devices;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.WorkDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Measures every candidate of a patch task on the validation splits of the tasks seen so far in the model's lineage
 * and chooses alpha from those validation accuracies alone. Only then it measures test accuracy of the base, the
 * fine-tuned encoder and the chosen candidate, for reporting.
 */
@ApplicationScoped
public class EvaluationService {

  private static final Logger LOG = Logger.getLogger(EvaluationService.class);

  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @Inject EvaluatorConfig config;
  @Inject MeterRegistry meters;

  /** Evaluates every candidate of the grid, all written in one round, and chooses one. */
  public CandidateSelected evaluate(CandidatesInterpolated event) {
    long started = System.nanoTime();
    String modelName = event.task().modelName();
    SelectionRule rule = rule(event);
    double tolerance = tolerance(event);
    List<Candidate> candidates = new ArrayList<>(event.candidates());
    candidates.sort(Comparator.comparingDouble(Candidate::alpha));
    List<Double> alphas = candidates.stream().map(Candidate::alpha).toList();
    EncoderSpec architecture = event.base().architecture();
    Device device = Devices.select(config.preferGpu());

    try (WorkDirectory work = WorkDirectory.create(config.workDirectory(),
        "paint-evaluator-" + event.task().taskId() + "-", "paint.evaluator.work-directory")) {
      CheckpointEvaluator evaluator = new CheckpointEvaluator(checkpoints, architecture, device, work);
      List<TaskData> tasks = loadTasks(seenTasks(event), architecture, work);
      LOG.infof("Evaluating %d candidates of task %s of model %s on %d tasks", candidates.size(),
          event.task().taskId(), modelName, tasks.size());

      Map<String, double[]> curves = validationCurves(evaluator, candidates, tasks);
      Map<String, Double> reference = referenceAccuracy(evaluator, event, tasks, candidates, curves);
      ValidationCurves validation = new ValidationCurves(alphas, curves, roles(tasks), reference);
      int chosenIndex = AlphaSelector.forRule(rule).select(validation, tolerance);
      Candidate chosen = candidates.get(chosenIndex);
      LOG.infof("Chose alpha %.2f for task %s of model %s by rule %s", chosen.alpha(), event.task().taskId(),
          modelName, rule.id());

      Map<String, TaskAccuracy> accuracy =
          reportAccuracy(evaluator, event, tasks, candidates, curves, chosenIndex);
      recordMetrics(event, AlphaSearch.GRID, alphas, curves, chosen, System.nanoTime() - started);
      return new CandidateSelected(event.task(), event.base(), event.patchHead(), event.fineTuned(),
          event.training(), chosen, rule, tolerance, alphas, curveLists(curves), accuracy, AlphaSearch.GRID,
          alphas.size());
    }
  }

  SelectionRule rule(CandidatesInterpolated event) {
    return event.task().selection().rule() != null ? event.task().selection().rule() : config.selectionRule();
  }

  double tolerance(CandidatesInterpolated event) {
    return event.task().selection().tolerancePoints() != null
        ? event.task().selection().tolerancePoints() : config.tolerancePoints();
  }

  static Map<String, List<Double>> curveLists(Map<String, double[]> curves) {
    Map<String, List<Double>> curveLists = new LinkedHashMap<>();
    curves.forEach((task, values) -> curveLists.put(task, Arrays.stream(values).boxed().toList()));
    return curveLists;
  }

  /**
   * The tasks of the base version plus the patch task. A patch task that repeats an earlier task's name replaces it, so
   * each task is measured once.
   */
  static List<TaskHead> seenTasks(CandidatesInterpolated event) {
    List<TaskHead> tasks = new ArrayList<>();
    for (TaskHead task : event.base().tasks()) {
      if (!task.task().equals(event.patchHead().task())) {
        tasks.add(task);
      }
    }
    tasks.add(event.patchHead());
    return tasks;
  }

  List<TaskData> loadTasks(List<TaskHead> heads, EncoderSpec architecture, WorkDirectory work) {
    List<TaskData> tasks = new ArrayList<>();
    for (TaskHead task : heads) {
      var headFile = work.resolve("head-" + task.task() + ".safetensors");
      checkpoints.download(task.head(), headFile);
      ClassificationHead head = ClassificationHead.load(headFile, task.classNames().size(), architecture.embeddingDim());
      tasks.add(new TaskData(task, head, datasets.load(task.dataset(), Split.VALIDATION),
          datasets.load(task.dataset(), Split.TEST)));
    }
    return tasks;
  }

  static Map<String, double[]> validationCurves(
      CheckpointEvaluator evaluator, List<Candidate> candidates, List<TaskData> tasks) {
    Map<String, double[]> curves = new LinkedHashMap<>();
    for (TaskData task : tasks) {
      curves.put(task.name(), new double[candidates.size()]);
    }
    for (int i = 0; i < candidates.size(); i++) {
      Map<String, Double> accuracy = evaluator.accuracy(candidates.get(i).checkpoint(), tasks, Split.VALIDATION);
      for (TaskData task : tasks) {
        curves.get(task.name())[i] = accuracy.get(task.name());
      }
    }
    return curves;
  }

  /** Validation accuracy of the lineage's first version on each supported task: the constrained rule's reference. */
  static Map<String, Double> referenceAccuracy(
      CheckpointEvaluator evaluator, CandidatesInterpolated event, List<TaskData> tasks, List<Candidate> candidates,
      Map<String, double[]> curves) {
    List<TaskData> supported = tasks.stream().filter(t -> t.task().role() == TaskRole.SUPPORTED).toList();
    Map<String, Double> reference = new LinkedHashMap<>();
    boolean baseIsRoot = event.base().version() == event.base().rootVersion();
    if (baseIsRoot && candidates.get(0).alpha() == 0.0) {
      // Alpha 0 reproduces the base exactly, so its curve point is the root's accuracy.
      supported.forEach(task -> reference.put(task.name(), curves.get(task.name())[0]));
      return reference;
    }
    reference.putAll(evaluator.accuracy(event.base().rootEncoder(), supported, Split.VALIDATION));
    return reference;
  }

  static Map<String, TaskAccuracy> reportAccuracy(
      CheckpointEvaluator evaluator, CandidatesInterpolated event, List<TaskData> tasks, List<Candidate> candidates,
      Map<String, double[]> curves, int chosenIndex) {
    CheckpointRef base = event.base().encoder();
    CheckpointRef fineTuned = event.fineTuned();
    Map<String, Double> baseValidation = endpointValidation(evaluator, candidates, curves, tasks, 0.0, base);
    Map<String, Double> fineTunedValidation = endpointValidation(evaluator, candidates, curves, tasks, 1.0, fineTuned);
    Map<String, Double> baseTest = evaluator.accuracy(base, tasks, Split.TEST);
    Map<String, Double> fineTunedTest = evaluator.accuracy(fineTuned, tasks, Split.TEST);
    // The endpoints' tensors are byte for byte the base's and the fine-tuned encoder's, so their test runs are reused.
    double chosenAlpha = candidates.get(chosenIndex).alpha();
    Map<String, Double> patchedTest = chosenAlpha == 0.0 ? baseTest
        : chosenAlpha == 1.0 ? fineTunedTest
        : evaluator.accuracy(candidates.get(chosenIndex).checkpoint(), tasks, Split.TEST);

    Map<String, TaskAccuracy> accuracy = new LinkedHashMap<>();
    for (TaskData task : tasks) {
      String name = task.name();
      accuracy.put(name, new TaskAccuracy(baseValidation.get(name), fineTunedValidation.get(name),
          curves.get(name)[chosenIndex], baseTest.get(name), fineTunedTest.get(name), patchedTest.get(name)));
    }
    return accuracy;
  }

  /** Reuses the curve point when the grid contains the endpoint, which is then byte for byte the endpoint model. */
  private static Map<String, Double> endpointValidation(
      CheckpointEvaluator evaluator, List<Candidate> candidates, Map<String, double[]> curves, List<TaskData> tasks,
      double alpha, CheckpointRef endpoint) {
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).alpha() == alpha) {
        Map<String, Double> accuracy = new LinkedHashMap<>();
        for (TaskData task : tasks) {
          accuracy.put(task.name(), curves.get(task.name())[i]);
        }
        return accuracy;
      }
    }
    return evaluator.accuracy(endpoint, tasks, Split.VALIDATION);
  }

  static Map<String, TaskRole> roles(List<TaskData> tasks) {
    Map<String, TaskRole> roles = new LinkedHashMap<>();
    tasks.forEach(task -> roles.put(task.name(), task.task().role()));
    return roles;
  }

  void recordMetrics(
      CandidatesInterpolated event, AlphaSearch search, List<Double> alphas, Map<String, double[]> curves,
      Candidate chosen, long nanos) {
    String modelName = event.task().modelName();
    meters.timer("paint.evaluator.duration", "model", modelName, "task", event.task().task())
        .record(Duration.ofNanos(nanos));
    meters.counter("paint.evaluator.candidate.evaluations", "model", modelName, "search", search.id())
        .increment(alphas.size());
    EvaluatorGauges.update(meters, modelName, alphas, curves, chosen.alpha());
  }
}
