package dev.paint.cli;

import dev.paint.demo.PipelineEvents.Failed;
import dev.paint.demo.PipelineEvents.Outcome;
import dev.paint.demo.PipelineEvents.Promoted;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.TaskAccuracy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Prints the outcome of a followed patch task: the promotion with its accuracies, or the failure as an error. */
final class TaskOutcomes {

  private TaskOutcomes() {}

  /**
   * Prints a promotion to {@code out}.
   *
   * @param outcome the task's outcome, or null when none arrived within {@code timeout}
   * @throws CommandFailedException when the task failed or no outcome arrived
   */
  static void print(PatchTaskSubmitted task, Outcome outcome, Duration timeout, PrintStream out) {
    if (outcome == null) {
      throw new CommandFailedException("Patch task " + task.taskId() + " was neither promoted nor failed within "
          + timeout.toSeconds() + " s; it may still run: check later with " + PaintCli.PROGRAM + " status --model "
          + task.modelName() + ", or wait longer with --timeout");
    }
    if (outcome instanceof Failed failed) {
      PatchTaskFailed failure = failed.failure();
      throw new CommandFailedException("Patch task " + task.taskId() + " of model " + task.modelName()
          + " failed at stage " + failure.stage() + ": " + failure.reason());
    }
    printPromotion((Promoted) outcome, out);
  }

  private static void printPromotion(Promoted outcome, PrintStream out) {
    ModelPromoted promoted = outcome.promoted();
    CandidateSelected selected = outcome.selected();
    String previous = promoted.previousVersion() == null ? "" : " (was " + promoted.previousVersion() + ")";
    out.printf(Locale.ROOT, "Patch task %s promoted: model %s version %d%s, alpha %.2f chosen by rule %s%n", outcome.taskId(),
        promoted.modelName(), promoted.version(), previous, selected.chosen().alpha(), selected.rule().id());

    if (selected.accuracy() == null || selected.accuracy().isEmpty()) {
      return;
    }
    out.println("Accuracy in percent, validation then test, for the base, fine-tuned and patched encoder:");
    out.printf("  %-24s %8s %10s %8s   %8s %10s %8s%n", "task", "base", "fine-tuned", "patched", "base",
        "fine-tuned", "patched");
    // Sorted by task name, so the table reads the same on every run.
    for (Map.Entry<String, TaskAccuracy> entry : new TreeMap<>(selected.accuracy()).entrySet()) {
      TaskAccuracy accuracy = entry.getValue();
      out.printf(Locale.ROOT, "  %-24s %8.2f %10.2f %8.2f   %8.2f %10.2f %8.2f%n", entry.getKey(), accuracy.baseValidation(),
          accuracy.fineTunedValidation(), accuracy.patchedValidation(), accuracy.baseTest(),
          accuracy.fineTunedTest(), accuracy.patchedTest());
    }
  }
}
