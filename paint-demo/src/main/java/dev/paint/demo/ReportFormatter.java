package dev.paint.demo;

import dev.paint.demo.DemoReport.BaseReport;
import dev.paint.demo.DemoReport.ModelReport;
import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.demo.DemoReport.StageTime;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link DemoReport} as plain-text tables and writes it as JSON. */
public final class ReportFormatter {

  static final String[] ACCURACY_COLUMNS =
      {"base val", "fine-tuned val", "patched val", "base test", "fine-tuned test", "patched test"};

  private ReportFormatter() {}

  /** Returns the report as text: stage times, the base encoder, then one section per model and patch task. */
  public static String format(DemoReport report) {
    StringBuilder text = new StringBuilder();
    appendStages(text, report.stages());
    if (report.base() != null) {
      appendBase(text, report.base());
    }
    for (ModelReport model : report.models()) {
      appendModel(text, model);
    }
    if (report.failure() != null) {
      text.append("\nThe run failed: ").append(report.failure()).append('\n');
    }
    return text.toString();
  }

  /** Writes the report as indented JSON to {@code file}, creating its directory. */
  public static void writeJson(DemoReport report, Path file) {
    try {
      Path directory = file.toAbsolutePath().getParent();
      if (directory != null) {
        Files.createDirectories(directory);
      }
      Files.writeString(file, toJson(report));
    } catch (IOException e) {
      throw new UncheckedIOException("Writing the demo report to " + file + " failed; choose a writable path with --report", e);
    }
  }

  static String toJson(DemoReport report) {
    try {
      return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Serialising the demo report to JSON failed", e);
    }
  }

  private static void appendStages(StringBuilder text, List<StageTime> stages) {
    text.append("Wall time per stage\n");
    int width = Math.max(5, stages.stream().mapToInt(stage -> stage.stage().length()).max().orElse(0));
    text.append(String.format(Locale.ROOT, "  %-" + width + "s  %9s%n", "stage", "seconds"));
    for (StageTime stage : stages) {
      text.append(String.format(Locale.ROOT, "  %-" + width + "s  %9.1f%n", stage.stage(), stage.millis() / 1000.0));
    }
    text.append("  A patch task's time runs from its submission to its promotion, including the time it waited for the\n"
        + "  services to finish other models' tasks.\n");
  }

  private static void appendBase(StringBuilder text, BaseReport base) {
    String origin = base.fromCache()
        ? String.format(Locale.ROOT, "reused from the cache, pretrained in %.1f s by an earlier run",
            base.trainingMillis() / 1000.0)
        : String.format(Locale.ROOT, "pretrained in %.1f s", base.trainingMillis() / 1000.0);
    text.append(String.format(Locale.ROOT, "%nBase encoder (cache key %s, %s): %s accuracy %.2f %% validation, %.2f %%"
        + " test%n", base.cacheKey(), origin, base.task(), base.validationAccuracy(), base.testAccuracy()));
  }

  private static void appendModel(StringBuilder text, ModelReport model) {
    text.append(String.format(Locale.ROOT, "%nModel %s: rule %s, base version %d%n", model.modelName(),
        describeRule(model.rule(), model.tolerancePoints()), model.baseVersion()));
    for (PatchReport patch : model.patches()) {
      appendPatch(text, patch);
    }
  }

  private static void appendPatch(StringBuilder text, PatchReport patch) {
    if (!patch.isPromoted()) {
      text.append(String.format(Locale.ROOT, "  Patch task %s: %s after %.1f s. %s%n", patch.task(),
          patch.status().name().toLowerCase(Locale.ROOT).replace('_', ' '), patch.durationMillis() / 1000.0,
          patch.reason()));
      return;
    }

    text.append(String.format(Locale.ROOT,
        "  Patch task %s (dataset %s): version %d from version %d, alpha %.2f chosen by rule %s, %.1f s from"
            + " submission to promotion%n",
        patch.task(), patch.dataset(), patch.version(), patch.previousVersion(), patch.alpha(),
        describeRule(patch.rule(), patch.tolerancePoints()),
        patch.durationMillis() / 1000.0));
    int width = taskColumnWidth(patch.accuracy().keySet());
    appendAccuracyTable(text, patch.accuracy(), width);
    appendCurves(text, patch.alphas(), patch.validationCurves(), width);
  }

  private static void appendAccuracyTable(StringBuilder text, Map<String, TaskAccuracy> accuracy, int width) {
    text.append(String.format(Locale.ROOT, "    %-" + width + "s", "accuracy (%)"));
    for (String column : ACCURACY_COLUMNS) {
      text.append(String.format(Locale.ROOT, "  %15s", column));
    }
    text.append('\n');
    accuracy.forEach((task, values) -> {
      text.append(String.format(Locale.ROOT, "    %-" + width + "s", task));
      double[] cells = {values.baseValidation(), values.fineTunedValidation(), values.patchedValidation(),
          values.baseTest(), values.fineTunedTest(), values.patchedTest()};
      for (double cell : cells) {
        text.append(String.format(Locale.ROOT, "  %15.2f", cell));
      }
      text.append('\n');
    });
  }

  private static void appendCurves(
      StringBuilder text, List<Double> alphas, Map<String, List<Double>> curves, int width) {
    text.append(String.format(Locale.ROOT, "    %-" + width + "s", "validation (%) at alpha"));
    for (double alpha : alphas) {
      text.append(String.format(Locale.ROOT, "  %6.2f", alpha));
    }
    text.append('\n');
    curves.forEach((task, values) -> {
      text.append(String.format(Locale.ROOT, "    %-" + width + "s", task));
      for (double value : values) {
        text.append(String.format(Locale.ROOT, "  %6.2f", value));
      }
      text.append('\n');
    });
  }

  private static int taskColumnWidth(Iterable<String> tasks) {
    int width = "validation (%) at alpha".length();
    for (String task : tasks) {
      width = Math.max(width, task.length());
    }
    return width;
  }

  static String describeRule(SelectionRule rule, Double tolerancePoints) {
    if (rule == null) {
      return "unknown";
    }
    if (rule == SelectionRule.CONSTRAINED && tolerancePoints != null) {
      return String.format(Locale.ROOT, "%s (tolerance %.1f points)", rule.id(), tolerancePoints);
    }
    return rule.id();
  }
}
