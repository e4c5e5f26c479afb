package dev.paint.evaluator.config;

import dev.paint.shared.event.SelectionRule;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Alpha selection settings of evaluator-service, used when a patch task sets none. */
@ConfigMapping(prefix = "paint.evaluator")
public interface EvaluatorConfig {

  /** Selection rule: "mean-accuracy" (the PAINT paper's rule) or "constrained". */
  @WithDefault("mean-accuracy")
  SelectionRule selectionRule();

  /** For the constrained rule: accuracy points (0 to 100 scale) a supported task may lose against the lineage's first version. */
  @WithDefault("1.0")
  double tolerancePoints();

  /** Whether to evaluate on the first GPU when the PyTorch engine detects one. */
  @WithDefault("true")
  boolean preferGpu();

  /** Directory for downloaded checkpoints; a new temporary directory when unset. */
  Optional<String> workDirectory();
}
