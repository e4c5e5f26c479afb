package dev.paint.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.evaluator.selection.AlphaSelector;
import dev.paint.evaluator.selection.CoarseToFineSearch;
import dev.paint.evaluator.selection.ValidationCurves;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays the coarse-to-fine alpha search on the full validation curves that a demo run recorded, and compares its
 * choice and its number of evaluations with the full grid's. Every curve point is a real measurement of the run, so
 * the search reads them instead of evaluating candidates.
 *
 * <p>Usage: {@code java -cp ... dev.paint.bench.search.AlphaSearchReplay [.paint/demo/demo-report.json]}
 */
public final class AlphaSearchReplay {

  static final Path DEFAULT_REPORT = Path.of(".paint/demo/demo-report.json");

  private AlphaSearchReplay() {}

  public static void main(String[] args) throws IOException {
    Path report = args.length > 0 ? Path.of(args[0]) : DEFAULT_REPORT;
    if (!Files.isRegularFile(report)) {
      System.err.println("Demo report " + report + " not found: run ./demo.sh first, or pass the report's path");
      System.exit(2);
    }
    System.out.print(table(replay(Json.mapper().readTree(report.toFile()))));
  }

  /**
   * Runs the full grid's selection and the coarse-to-fine search on every promoted patch of every model in the report.
   */
  public static List<PatchReplay> replay(JsonNode report) {
    List<PatchReplay> replays = new ArrayList<>();
    for (JsonNode model : report.path("models")) {
      SelectionRule rule = SelectionRule.fromId(model.path("rule").asText());
      double tolerance = model.path("tolerancePoints").isNumber() ? model.path("tolerancePoints").asDouble() : 0.0;
      Map<String, Double> rootAccuracy = null;
      for (JsonNode patch : model.path("patches")) {
        if (!patch.path("validationCurves").isObject()) {
          continue;
        }
        if (rootAccuracy == null) {
          // The model's first patch starts from the registered base, the lineage's first version.
          rootAccuracy = baseValidation(patch);
        }
        replays.add(replayPatch(model.path("modelName").asText(), rule, tolerance, patch, rootAccuracy));
      }
    }
    return replays;
  }

  private static PatchReplay replayPatch(
      String modelName, SelectionRule rule, double tolerance, JsonNode patch, Map<String, Double> rootAccuracy) {
    String patchTask = patch.path("task").asText();
    List<Double> grid = new ArrayList<>();
    patch.path("alphas").forEach(alpha -> grid.add(alpha.asDouble()));
    Map<String, double[]> curves = new LinkedHashMap<>();
    Map<String, TaskRole> roles = new LinkedHashMap<>();
    patch.path("validationCurves").fields().forEachRemaining(curve -> {
      double[] values = new double[grid.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = curve.getValue().get(i).asDouble();
      }
      curves.put(curve.getKey(), values);
      roles.put(curve.getKey(), curve.getKey().equals(patchTask) ? TaskRole.PATCH : TaskRole.SUPPORTED);
    });
    // NOTE: a supported task that the lineage's first version never saw has no root accuracy in the report, so the
    // constrained rule's replay leaves it unconstrained. The demo's two patches per model never hit this case.
    Map<String, Double> reference = new LinkedHashMap<>();
    roles.forEach((task, role) -> {
      if (role == TaskRole.SUPPORTED && rootAccuracy.containsKey(task)) {
        reference.put(task, rootAccuracy.get(task));
      }
    });

    AlphaSelector selector = AlphaSelector.forRule(rule);
    int gridChoice = selector.select(new ValidationCurves(grid, curves, roles, reference), tolerance);
    CoarseToFineSearch.Result search = CoarseToFineSearch.run(grid, alpha -> point(curves, grid.indexOf(alpha)),
        roles, reference, selector, tolerance);
    return new PatchReplay(modelName, rule, patchTask, grid.size(), grid.get(gridChoice), search.chosenAlpha(),
        search.evaluations(), search.rounds(), grid.size() > 1 ? grid.get(1) - grid.get(0) : 0.0);
  }

  private static Map<String, Double> point(Map<String, double[]> curves, int index) {
    Map<String, Double> point = new LinkedHashMap<>();
    curves.forEach((task, values) -> point.put(task, values[index]));
    return point;
  }

  private static Map<String, Double> baseValidation(JsonNode patch) {
    Map<String, Double> accuracy = new LinkedHashMap<>();
    patch.path("accuracy").fields().forEachRemaining(task ->
        accuracy.put(task.getKey(), task.getValue().path("baseValidation").asDouble()));
    return accuracy;
  }

  /** Formats the replays as a Markdown table, one row per patch. */
  public static String table(List<PatchReplay> replays) {
    StringBuilder text = new StringBuilder();
    text.append("| model | rule | patch task | grid alpha | search alpha | grid steps apart | evaluations (grid / search)")
        .append(" | rounds |\n");
    text.append("|---|---|---|---|---|---|---|---|\n");
    for (PatchReplay replay : replays) {
      text.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.2f | %d | %d / %d | %d |%n",
          replay.modelName(), replay.rule().id(), replay.patchTask(), replay.gridAlpha(), replay.searchAlpha(),
          replay.stepsApart(), replay.gridSize(), replay.searchEvaluations(), replay.rounds()));
    }
    return text.toString();
  }

  /**
   * The full grid's choice and the search's on one recorded patch.
   *
   * @param gridStep the spacing of the grid's first two alphas, to count how many steps the choices are apart
   */
  public record PatchReplay(
      String modelName, SelectionRule rule, String patchTask, int gridSize, double gridAlpha, double searchAlpha,
      int searchEvaluations, int rounds, double gridStep) {

    public int stepsApart() {
      return gridStep == 0.0 ? 0 : (int) Math.round(Math.abs(searchAlpha - gridAlpha) / gridStep);
    }
  }
}
