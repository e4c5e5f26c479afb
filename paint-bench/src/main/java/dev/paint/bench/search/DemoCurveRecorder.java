package dev.paint.bench.search;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import dev.paint.demo.BaseModelBuilder;
import dev.paint.demo.DemoDatasets;
import dev.paint.evaluator.selection.AlphaSelector;
import dev.paint.evaluator.selection.ValidationCurves;
import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetSplitter;
import dev.paint.shared.dataset.ImageSize;
import dev.paint.shared.dataset.RawDataset;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the demo's full validation curves without the services: the same datasets and splits (seed 0), the same
 * pretraining of {@code EncoderSpec.DEMO} on Fashion-MNIST, the trainer's default fine-tuning on MNIST and then UCI
 * digits, and the interpolator's 11-point grid. Each rule's model continues from the alpha its rule chose on the full
 * grid, as the demo's models do. It writes the curves in the demo report's JSON layout for {@link AlphaSearchReplay}.
 *
 * <p>Usage: {@code DemoCurveRecorder DATA_DIR OUTPUT_JSON [MAX_IMAGES PRETRAIN_EPOCHS]}. The last two are the demo's
 * {@code --max-images} and {@code --pretrain-epochs}, for its quick run; without them it records the full demo.
 */
public final class DemoCurveRecorder {

  private static final List<Double> GRID = List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
  private static final Hyperparameters PRETRAINING = BaseModelBuilder.PRETRAINING;
  /** trainer-service's default fine-tuning recipe (TrainerConfig's defaults), which the demo's patch tasks keep. */
  private static final Hyperparameters FINE_TUNING = new Hyperparameters(1e-4, 3, 128, 0.1, 50, 1.0, 0L, 0);
  private static final double TOLERANCE_POINTS = 1.0;

  private final Device device = Device.cpu();
  private final Map<String, Dataset> datasets = new LinkedHashMap<>();
  private final Map<String, ClassificationHead> heads = new LinkedHashMap<>();
  private final int maxImages;
  private final int pretrainEpochs;

  DemoCurveRecorder(int maxImages, int pretrainEpochs) {
    this.maxImages = maxImages;
    this.pretrainEpochs = pretrainEpochs;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 4) {
      System.err.println("Usage: DemoCurveRecorder DATA_DIR OUTPUT_JSON [MAX_IMAGES PRETRAIN_EPOCHS]");
      System.exit(2);
    }
    int maxImages = args.length == 4 ? Integer.parseInt(args[2]) : 0;
    int pretrainEpochs = args.length == 4 ? Integer.parseInt(args[3]) : PRETRAINING.epochs();
    Map<String, Object> report = new DemoCurveRecorder(maxImages, pretrainEpochs).record(Path.of(args[0]));
    Files.writeString(Path.of(args[1]), Json.write(report));
  }

  Map<String, Object> record(Path dataDirectory) {
    for (BuiltinDataset builtin : List.of(BuiltinDataset.FASHION_MNIST, BuiltinDataset.MNIST,
        BuiltinDataset.UCI_DIGITS)) {
      RawDataset raw = builtin.importFrom(builtin.sourceDirectory(dataDirectory), ImageSize.GRAYSCALE_28);
      if (maxImages > 0) {
        raw = DemoDatasets.sample(raw, maxImages);
      }
      datasets.put(builtin.key(), DatasetSplitter.split(builtin.key(), raw, DemoDatasets.SPLIT_SEED));
    }

    float[][] base = pretrain();
    float[][] mnistFineTuned = fineTune(base, "mnist");
    Map<String, double[]> mnistCurves = curves(base, mnistFineTuned, List.of("fashion-mnist", "mnist"));

    List<Object> models = new ArrayList<>();
    for (SelectionRule rule : List.of(SelectionRule.MEAN_ACCURACY, SelectionRule.CONSTRAINED)) {
      Map<String, Double> root = new LinkedHashMap<>();
      mnistCurves.forEach((task, values) -> root.put(task, values[0]));
      double chosen = choose(rule, mnistCurves, "mnist", Map.of("fashion-mnist", root.get("fashion-mnist")));
      float[][] patched = mix(base, mnistFineTuned, chosen);
      float[][] uciFineTuned = fineTune(patched, "uci-digits");
      Map<String, double[]> uciCurves =
          curves(patched, uciFineTuned, List.of("fashion-mnist", "mnist", "uci-digits"));
      System.out.printf("%s: mnist alpha %.2f%n", rule.id(), chosen);
      models.add(Map.of(
          "modelName", rule == SelectionRule.MEAN_ACCURACY ? "paint-demo" : "paint-demo-" + rule.id(),
          "rule", rule.id(),
          "tolerancePoints", TOLERANCE_POINTS,
          "patches", List.of(patch("mnist", mnistCurves), patch("uci-digits", uciCurves))));
    }
    return Map.of("runId", "demo-curve-recorder", "models", models);
  }

  private float[][] pretrain() {
    Dataset fashion = datasets.get("fashion-mnist");
    EncoderSpec spec = EncoderSpec.DEMO;
    ClassificationHead head = ClassificationHead.random(fashion.classNames().size(), spec.embeddingDim(), 0);
    heads.put("fashion-mnist", head);
    // The encoder's weights live in PyTorch's native memory, which only close() frees.
    Hyperparameters recipe = new Hyperparameters(PRETRAINING.learningRate(), pretrainEpochs, PRETRAINING.batchSize(),
        PRETRAINING.weightDecay(), PRETRAINING.warmupSteps(), PRETRAINING.maxGradNorm(), PRETRAINING.seed(), 0);
    try (Encoder encoder = Encoder.create(spec, device, 0)) {
      EncoderTrainer.train(encoder, head, fashion.train(), recipe, null);
      return weights(encoder);
    }
  }

  /** Fine-tunes from {@code start} with the head of class means that trainer-service builds for a new task. */
  private float[][] fineTune(float[][] start, String task) {
    Dataset dataset = datasets.get(task);
    try (Encoder encoder = Encoder.create(EncoderSpec.DEMO, device, 0)) {
      load(encoder, start);
      ClassificationHead head = ClassificationHead.fromClassMeans(encoder, dataset.train(), dataset.classNames().size());
      heads.put(task, head);
      EncoderTrainer.train(encoder, head, dataset.train(), FINE_TUNING, null);
      return weights(encoder);
    }
  }

  private Map<String, double[]> curves(float[][] base, float[][] fineTuned, List<String> tasks) {
    Map<String, double[]> curves = new LinkedHashMap<>();
    tasks.forEach(task -> curves.put(task, new double[GRID.size()]));
    try (Encoder encoder = Encoder.create(EncoderSpec.DEMO, device, 0)) {
      for (int i = 0; i < GRID.size(); i++) {
        load(encoder, mix(base, fineTuned, GRID.get(i)));
        for (String task : tasks) {
          curves.get(task)[i] = AccuracyEvaluator.accuracy(encoder, heads.get(task), datasets.get(task).validation());
        }
      }
    }
    return curves;
  }

  private static double choose(
      SelectionRule rule, Map<String, double[]> curves, String patchTask, Map<String, Double> reference) {
    Map<String, TaskRole> roles = new LinkedHashMap<>();
    curves.keySet().forEach(task -> roles.put(task, task.equals(patchTask) ? TaskRole.PATCH : TaskRole.SUPPORTED));
    int index = AlphaSelector.forRule(rule).select(new ValidationCurves(GRID, curves, roles, reference),
        TOLERANCE_POINTS);
    return GRID.get(index);
  }

  private static Map<String, Object> patch(String task, Map<String, double[]> curves) {
    Map<String, Object> validationCurves = new LinkedHashMap<>();
    Map<String, Object> accuracy = new LinkedHashMap<>();
    curves.forEach((name, values) -> {
      validationCurves.put(name, values);
      accuracy.put(name, Map.of("baseValidation", values[0]));
    });
    return Map.of("task", task, "status", "PROMOTED", "alphas", GRID, "validationCurves", validationCurves,
        "accuracy", accuracy);
  }

  /** Mixes in double precision and rounds to float32, as the interpolator does for float32 tensors. */
  private static float[][] mix(float[][] base, float[][] fineTuned, double alpha) {
    float[][] mixed = new float[base.length][];
    for (int i = 0; i < base.length; i++) {
      mixed[i] = new float[base[i].length];
      for (int j = 0; j < mixed[i].length; j++) {
        mixed[i][j] = (float) ((1 - alpha) * base[i][j] + alpha * fineTuned[i][j]);
      }
    }
    return mixed;
  }

  private static void load(Encoder encoder, float[][] weights) {
    int i = 0;
    for (Parameter parameter : encoder.parameters().values()) {
      parameter.getArray().set(weights[i++]);
    }
  }

  private static float[][] weights(Encoder encoder) {
    return encoder.parameters().values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
  }
}
