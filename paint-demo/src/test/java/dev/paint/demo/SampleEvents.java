package dev.paint.demo;

import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.TrainingSummary;
import dev.paint.shared.model.EncoderSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Event payloads as the services publish them, for tests that play the pipeline's part. */
final class SampleEvents {

  static final List<Double> ALPHAS = List.of(0.0, 0.5, 1.0);
  static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private SampleEvents() {}

  static PatchTaskSubmitted submitted(String taskId, String modelName, String task) {
    return new PatchTaskSubmitted(taskId, modelName, task, task, DIGITS, null, Hyperparameters.none(),
        new Selection(SelectionRule.CONSTRAINED, 1.0, ALPHAS), Instant.parse("2025-01-02T03:04:05Z"));
  }

  /** The evaluator's choice of alpha 0.5 for {@code task}, patching version {@code baseVersion}. */
  static CandidateSelected selected(PatchTaskSubmitted task, int baseVersion) {
    CheckpointRef baseEncoder = new CheckpointRef("models/" + task.modelName() + "/imports/a/encoder.safetensors",
        "aa", 100);
    TaskHead supported = head(task.modelName(), "fashion-mnist", TaskRole.SUPPORTED);
    TaskHead patch = head(task.modelName(), task.task(), TaskRole.PATCH);
    DeployedModel base = new DeployedModel(task.modelName(), baseVersion, baseEncoder, EncoderSpec.DEMO,
        List.of(supported), 1, baseEncoder);
    CheckpointRef fineTuned = new CheckpointRef("tasks/" + task.modelName() + "/" + task.taskId()
        + "/fine-tuned.safetensors", "bb", 100);
    Candidate chosen = new Candidate(0.5, new CheckpointRef("tasks/" + task.modelName() + "/" + task.taskId()
        + "/candidates/alpha-0.50.safetensors", "cc", 100));
    TrainingSummary training =
        new TrainingSummary(Hyperparameters.none(), 57, 0.25, 7200, 900.0, 8000, "cpu");

    Map<String, List<Double>> curves = new LinkedHashMap<>();
    curves.put("fashion-mnist", List.of(85.0, 83.5, 60.25));
    curves.put(task.task(), List.of(30.0, 91.0, 97.5));
    Map<String, TaskAccuracy> accuracy = new LinkedHashMap<>();
    accuracy.put("fashion-mnist", new TaskAccuracy(85.0, 60.25, 83.5, 84.75, 59.5, 82.125));
    accuracy.put(task.task(), new TaskAccuracy(30.0, 97.5, 91.0, 29.5, 96.0, 90.25));

    return new CandidateSelected(task, base, patch, fineTuned, training, chosen, SelectionRule.CONSTRAINED, 1.0,
        ALPHAS, curves, accuracy);
  }

  static ModelPromoted promoted(CandidateSelected selected) {
    return new ModelPromoted(selected.task().modelName(), selected.base().version() + 1, selected.base().version(),
        selected.task().taskId(), selected.chosen().alpha(), selected.chosen().checkpoint(),
        List.of(selected.base().tasks().get(0), selected.patchHead()), selected.accuracy(), "patch",
        Instant.parse("2025-01-02T03:09:05Z"));
  }

  static PatchTaskFailed failed(PatchTaskSubmitted task, String reason) {
    return new PatchTaskFailed(task.taskId(), task.modelName(), "training", reason,
        Instant.parse("2025-01-02T03:05:05Z"));
  }

  private static TaskHead head(String modelName, String task, TaskRole role) {
    CheckpointRef head = new CheckpointRef("models/" + modelName + "/heads/" + task + ".safetensors", "dd", 10);
    return new TaskHead(task, task, DIGITS, head, role);
  }
}
