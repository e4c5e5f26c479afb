package dev.paint.demo;

import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.model.EncoderSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one demo run is configured with.
 *
 * @param workDirectory contains the service logs, the broker's and object store's data and the pretrained base cache
 * @param dataDirectory contains the dataset source files that scripts/fetch-datasets.sh fetched
 * @param reportFile where the JSON report is written
 * @param modelName name of the model patched with the mean-accuracy rule; other rules append their id
 * @param rules one model is registered and patched per rule
 * @param tolerancePoints the constrained rule's tolerance, in accuracy points on the 0 to 100 scale
 * @param patchTasks the patch tasks of every model, in the order they are applied
 * @param baseSourceImages when positive, a random sample of at most this many Fashion-MNIST source training images
 *     replaces the source; 0 keeps all
 * @param patchSourceImages the same limit for the patch tasks' datasets
 * @param encoderSpec the base encoder's architecture
 * @param pretraining the base encoder's pretraining recipe
 * @param patchHyperparameters fine-tuning overrides sent with every patch task; {@link Hyperparameters#none()} keeps
 *     the trainer's defaults
 * @param alphas the alpha grid of every patch task, or null for the interpolator's default grid
 * @param search the alpha search of every patch task, or null for the interpolator's default search
 * @param shardedBase whether the base encoder is registered as a sharded checkpoint, one shard per layer, so that every
 *     service reads an index and its shards
 * @param serviceReadyTimeout how long each service may take to become ready
 * @param taskTimeout how long a patch task may take from submission to promotion
 */
public record DemoSettings(
    RepositoryLayout repository,
    Path workDirectory,
    Path dataDirectory,
    Path reportFile,
    String modelName,
    List<SelectionRule> rules,
    double tolerancePoints,
    List<PatchTaskSpec> patchTasks,
    int baseSourceImages,
    int patchSourceImages,
    EncoderSpec encoderSpec,
    Hyperparameters pretraining,
    Hyperparameters patchHyperparameters,
    List<Double> alphas,
    AlphaSearch search,
    boolean shardedBase,
    Duration serviceReadyTimeout,
    Duration taskTimeout) {

  /** Environment variable that overrides the dataset directory, as in scripts/fetch-datasets.sh. */
  public static final String DATA_DIR_ENV = "PAINT_DATA_DIR";

  public static final String DEFAULT_MODEL_NAME = "paint-demo";
  public static final double DEFAULT_TOLERANCE_POINTS = 1.0;
  public static final Duration DEFAULT_SERVICE_READY_TIMEOUT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_TASK_TIMEOUT = Duration.ofMinutes(60);

  public DemoSettings {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(workDirectory, "workDirectory");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(reportFile, "reportFile");
    rules = List.copyOf(rules);
    patchTasks = List.copyOf(patchTasks);
    alphas = alphas == null ? null : List.copyOf(alphas);
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("No selection rule given: name at least one of "
          + List.of(SelectionRule.MEAN_ACCURACY.id(), SelectionRule.CONSTRAINED.id()));
    }
    if (patchTasks.isEmpty()) {
      throw new IllegalArgumentException("No patch task given: the demo needs at least one");
    }
  }

  /**
   * Returns the full demo's settings: both rules, the patch tasks MNIST then UCI digits on every image, the pretraining
   * recipe of {@link BaseModelBuilder#PRETRAINING} and the services' own fine-tuning defaults and alpha grid.
   *
   * @param environment the process environment, read for {@value #DATA_DIR_ENV}
   */
  public static DemoSettings defaults(RepositoryLayout repository, Map<String, String> environment) {
    Path workDirectory = repository.defaultWorkDirectory();
    String dataDirectory = environment.get(DATA_DIR_ENV);
    return new DemoSettings(
        repository,
        workDirectory,
        dataDirectory == null || dataDirectory.isBlank() ? repository.defaultDataDirectory() : Path.of(dataDirectory),
        workDirectory.resolve("demo-report.json"),
        DEFAULT_MODEL_NAME,
        List.of(SelectionRule.MEAN_ACCURACY, SelectionRule.CONSTRAINED),
        DEFAULT_TOLERANCE_POINTS,
        List.of(PatchTaskSpec.of(BuiltinDataset.MNIST), PatchTaskSpec.of(BuiltinDataset.UCI_DIGITS)),
        0,
        0,
        EncoderSpec.DEMO,
        BaseModelBuilder.PRETRAINING,
        Hyperparameters.none(),
        null,
        null,
        false,
        DEFAULT_SERVICE_READY_TIMEOUT,
        DEFAULT_TASK_TIMEOUT);
  }

  /** Returns the name of the model patched with {@code rule}: the model name, plus "-" and the rule's id for others. */
  public String modelName(SelectionRule rule) {
    return rule == SelectionRule.MEAN_ACCURACY ? modelName : modelName + "-" + rule.id();
  }

  /** Returns the alpha search sent with every patch task of {@code rule}'s model. */
  public Selection selection(SelectionRule rule) {
    Double tolerance = rule == SelectionRule.CONSTRAINED ? tolerancePoints : null;
    return new Selection(rule, tolerance, alphas, search);
  }

  public Path logDirectory() {
    return workDirectory.resolve("logs");
  }

  public Path infrastructureDirectory() {
    return workDirectory.resolve("infrastructure");
  }

  public Path cacheDirectory() {
    return workDirectory.resolve("cache");
  }
}
