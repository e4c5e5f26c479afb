package dev.paint.demo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TrainingSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one demo run, printed as tables by {@link ReportFormatter} and written as JSON.
 *
 * @param runId the run's random id, the suffix of its task ids
 * @param stages wall time of every stage in the order they ran
 * @param base the pretrained base encoder
 * @param models one entry per registered model, one model per selection rule
 * @param failure why the run ended early, or null when every stage finished
 */
public record DemoReport(
    String runId,
    Instant startedAt,
    String workDirectory,
    List<StageTime> stages,
    BaseReport base,
    List<ModelReport> models,
    String failure) {

  public DemoReport {
    stages = List.copyOf(stages);
    models = List.copyOf(models);
  }

  /** Returns whether every planned patch task of every model was promoted. */
  @JsonProperty("allPromoted")
  public boolean allPromoted() {
    return failure == null
        && !models.isEmpty()
        && models.stream().allMatch(model -> model.patches().stream().allMatch(PatchReport::isPromoted));
  }

  /** Wall time of one stage in milliseconds. */
  public record StageTime(String stage, long millis) {}

  /**
   * The base encoder every model starts from.
   *
   * @param task its supported task
   * @param validationAccuracy accuracy on the task's validation split, in percent
   * @param testAccuracy accuracy on the task's test split, in percent
   * @param trainingMillis how long pretraining took, in the run that trained it
   * @param fromCache whether this run reused the pretrained weights of an earlier run
   */
  public record BaseReport(
      String task, String cacheKey, double validationAccuracy, double testAccuracy, long trainingMillis,
      boolean fromCache) {}

  /**
   * One model: the base registered under the model's name, patched task after task with one selection rule.
   *
   * @param tolerancePoints the constrained rule's tolerance, null for the mean-accuracy rule
   * @param baseVersion the registered version of the base
   */
  public record ModelReport(
      String modelName, SelectionRule rule, Double tolerancePoints, int baseVersion, List<PatchReport> patches) {

    public ModelReport {
      patches = List.copyOf(patches);
    }
  }

  /** The final state of a patch task. */
  public enum PatchStatus {
    PROMOTED,
    FAILED,
    TIMED_OUT,
    /** Submitted, but the run ended before the task did. */
    UNFINISHED,
    /** Never submitted because the run ended first. */
    NOT_SUBMITTED
  }

  /**
   * One patch task. For a task that was not promoted only the ids, status, duration and reason are set.
   *
   * @param version the version the promotion created
   * @param previousVersion the version the task started from
   * @param tolerancePoints the constrained rule's tolerance, null for the other rules
   * @param alphas the evaluated alpha grid, ascending
   * @param validationCurves per seen task, validation accuracy (percent) at each of {@code alphas}
   * @param accuracy per seen task, accuracy of the base, fine-tuned and patched encoder on validation and test
   * @param durationMillis from submission to promotion or failure
   * @param reason why the task was not promoted, null when it was
   */
  public record PatchReport(
      String taskId,
      String task,
      String dataset,
      PatchStatus status,
      Integer version,
      Integer previousVersion,
      Double alpha,
      SelectionRule rule,
      Double tolerancePoints,
      List<Double> alphas,
      Map<String, List<Double>> validationCurves,
      Map<String, TaskAccuracy> accuracy,
      TrainingSummary training,
      long durationMillis,
      String reason) {

    @JsonIgnore
    public boolean isPromoted() {
      return status == PatchStatus.PROMOTED;
    }

    /** Returns the report of a task that ended without a promotion. */
    public static PatchReport unpromoted(
        String taskId, PatchTaskSpec spec, PatchStatus status, long durationMillis, String reason) {
      return new PatchReport(taskId, spec.task(), spec.dataset(), status, null, null, null, null, null, null, null,
          null, null, durationMillis, reason);
    }
  }
}
