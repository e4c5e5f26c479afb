package dev.paint.registry.support;

import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.TrainingSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders of the events and task heads the registry's tests send. */
public final class TestEvents {

  public static final List<String> DIGIT_CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private TestEvents() {}

  public static TaskHead head(String task, CheckpointRef head, TaskRole role) {
    return new TaskHead(task, task + "-dataset", DIGIT_CLASSES, head, role);
  }

  /**
   * A selected candidate of patch task {@code taskId} on task {@code task}, built on {@code base}.
   *
   * @param submittedAt when the patch task was submitted, for the pipeline latency
   */
  public static CandidateSelected candidateSelected(
      String taskId, String task, DeployedModel base, CheckpointRef candidate, CheckpointRef patchHead, double alpha,
      Instant submittedAt) {
    PatchTaskSubmitted submitted = new PatchTaskSubmitted(
        taskId, base.modelName(), task, task + "-dataset", DIGIT_CLASSES, null, null, null, submittedAt);
    Map<String, TaskAccuracy> accuracy = new HashMap<>();
    accuracy.put(base.tasks().get(0).task(), new TaskAccuracy(91.0, 80.0, 90.0, 90.5, 79.0, 89.0));
    accuracy.put(task, new TaskAccuracy(10.0, 95.0, 90.0, 11.0, 94.0, 89.5));
    return new CandidateSelected(
        submitted,
        base,
        head(task, patchHead, TaskRole.PATCH),
        candidate,
        new TrainingSummary(null, 10, 0.5, 100, 50.0, 2000, "cpu"),
        new Candidate(alpha, candidate),
        SelectionRule.MEAN_ACCURACY,
        1.0,
        List.of(0.0, alpha, 1.0),
        Map.of(task, List.of(10.0, 88.0, 95.0)),
        accuracy);
  }
}
