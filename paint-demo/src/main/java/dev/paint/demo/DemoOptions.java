package dev.paint.demo;

import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.SelectionRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The demo's command line, parsed into {@link DemoSettings}. */
public final class DemoOptions {

  static final String USAGE = String.join("\n",
      "Usage: java -jar paint-demo/target/paint-demo.jar [options]",
      "Runs the PAINT pipeline locally: a Kafka broker, an object store and the four services, a base encoder",
      "pretrained on Fashion-MNIST, then patch tasks MNIST and UCI digits applied one after another.",
      "",
      "  --repo DIR            repository root (default: derived from the location of paint-demo.jar)",
      "  --work-dir DIR        logs, broker and object store data, pretrained base cache",
      "                        (default: <repo>/.paint/demo)",
      "  --data-dir DIR        dataset source files from scripts/fetch-datasets.sh",
      "                        (default: $PAINT_DATA_DIR, else <repo>/.paint/data)",
      "  --report FILE         JSON report (default: <work dir>/demo-report.json)",
      "  --rules LIST          comma-separated alpha selection rules, one model each: mean-accuracy, constrained",
      "                        (default: both)",
      "  --search NAME         alpha search of every patch task: grid (every alpha of the grid) or coarse-to-fine",
      "                        (at most half of them) (default: the interpolator's, grid)",
      "  --base-layout NAME    how the base encoder is stored: single (one safetensors file) or sharded (an index",
      "                        and one shard per layer, as Hugging Face shards) (default: single)",
      "  --tolerance POINTS    accuracy points a supported task may lose under the constrained rule (default: 1.0)",
      "  --pretrain-epochs N   epochs of base pretraining (default: 3)",
      "  --max-images N        use a random sample of at most N source training images per dataset, for a quick",
      "                        run (default: all images)",
      "  --task-timeout MIN    minutes a patch task may take from submission to promotion (default: 60)",
      "  --ready-timeout SEC   seconds each service may take to become ready (default: 300)",
      "  -h, --help            print this help");

  private DemoOptions() {}

  /**
   * Parses {@code args}; returns empty when help was requested.
   *
   * @param environment the process environment, read for {@value DemoSettings#DATA_DIR_ENV}
   * @throws IllegalArgumentException for an unknown option or an invalid value, naming it
   */
  public static Optional<DemoSettings> parse(String[] args, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("-h") || option.equals("--help")) {
        return Optional.empty();
      }
      if (!isKnown(option)) {
        throw new IllegalArgumentException("Unknown option " + option);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Missing value for option " + option);
      }
      values.put(option, args[++i]);
    }

    Path repo = values.containsKey("--repo") ? Path.of(values.get("--repo")) : null;
    DemoSettings defaults = DemoSettings.defaults(RepositoryLayout.locate(repo), environment);
    return Optional.of(apply(defaults, values));
  }

  private static DemoSettings apply(DemoSettings defaults, Map<String, String> values) {
    Path workDirectory = pathOr(values.get("--work-dir"), defaults.workDirectory());
    Path reportFile = values.containsKey("--report")
        ? Path.of(values.get("--report")).toAbsolutePath()
        : workDirectory.resolve("demo-report.json");
    List<SelectionRule> rules = values.containsKey("--rules") ? rules(values.get("--rules")) : defaults.rules();
    int maxImages = values.containsKey("--max-images") ? positive("--max-images", values.get("--max-images")) : 0;
    Hyperparameters pretraining = defaults.pretraining();
    if (values.containsKey("--pretrain-epochs")) {
      int epochs = positive("--pretrain-epochs", values.get("--pretrain-epochs"));
      pretraining = new Hyperparameters(pretraining.learningRate(), epochs, pretraining.batchSize(),
          pretraining.weightDecay(), pretraining.warmupSteps(), pretraining.maxGradNorm(), pretraining.seed(),
          pretraining.maxTrainImages());
    }
    Duration taskTimeout = values.containsKey("--task-timeout")
        ? Duration.ofMinutes(positive("--task-timeout", values.get("--task-timeout")))
        : defaults.taskTimeout();
    Duration readyTimeout = values.containsKey("--ready-timeout")
        ? Duration.ofSeconds(positive("--ready-timeout", values.get("--ready-timeout")))
        : defaults.serviceReadyTimeout();

    return new DemoSettings(
        defaults.repository(),
        workDirectory,
        pathOr(values.get("--data-dir"), defaults.dataDirectory()),
        reportFile,
        defaults.modelName(),
        rules,
        values.containsKey("--tolerance") ? tolerance(values.get("--tolerance")) : defaults.tolerancePoints(),
        defaults.patchTasks(),
        maxImages,
        maxImages,
        defaults.encoderSpec(),
        pretraining,
        defaults.patchHyperparameters(),
        defaults.alphas(),
        values.containsKey("--search") ? search(values.get("--search")) : defaults.search(),
        values.containsKey("--base-layout") ? shardedBase(values.get("--base-layout")) : defaults.shardedBase(),
        readyTimeout,
        taskTimeout);
  }

  private static boolean isKnown(String option) {
    return List.of("--repo", "--work-dir", "--data-dir", "--report", "--rules", "--search", "--base-layout", "--tolerance",
        "--pretrain-epochs", "--max-images", "--task-timeout", "--ready-timeout").contains(option);
  }

  private static Path pathOr(String value, Path fallback) {
    return value == null ? fallback : Path.of(value).toAbsolutePath();
  }

  static List<SelectionRule> rules(String value) {
    List<SelectionRule> rules = new ArrayList<>();
    for (String id : value.split(",")) {
      SelectionRule rule;
      try {
        rule = SelectionRule.fromId(id.trim());
      } catch (InvalidEventException e) {
        throw new IllegalArgumentException("Invalid --rules value '" + value + "': " + e.getMessage(), e);
      }
      if (!rules.contains(rule)) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private static boolean shardedBase(String value) {
    return switch (value.trim()) {
      case "single" -> false;
      case "sharded" -> true;
      default -> throw new IllegalArgumentException("Invalid --base-layout value '" + value
          + "': give single or sharded");
    };
  }

  private static AlphaSearch search(String value) {
    try {
      return AlphaSearch.fromId(value.trim());
    } catch (InvalidEventException e) {
      throw new IllegalArgumentException("Invalid --search value '" + value + "': " + e.getMessage(), e);
    }
  }

  private static int positive(String option, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // Reported below with the option's name.
    }
    throw new IllegalArgumentException("Invalid " + option + " value '" + value + "': expected a positive integer");
  }

  private static double tolerance(String value) {
    try {
      double points = Double.parseDouble(value);
      if (points >= 0 && points <= 100) {
        return points;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException(
        "Invalid --tolerance value '" + value + "': expected accuracy points from 0 to 100");
  }
}
