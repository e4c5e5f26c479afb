package dev.paint.interpolator.config;

import dev.paint.shared.event.AlphaSearch;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Candidate settings of interpolator-service. */
@ConfigMapping(prefix = "paint.interpolator")
public interface InterpolatorConfig {

  /** Alpha grid used when a patch task brings none: 0.0 to 1.0 in steps of 0.1, as in the PAINT paper. */
  @WithDefault("0.0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0")
  List<Double> alphas();

  /**
   * Alpha search used when a patch task sets none: "grid" writes every alpha of the grid at once, "coarse-to-fine"
   * writes the grid's first, middle and last alpha and then only the alphas the evaluator requests.
   */
  @WithDefault("grid")
  AlphaSearch search();

  /** Merge method by name; "linear" is weight interpolation. */
  @WithDefault("linear")
  String mergeMethod();

  /** Directory for downloaded and written checkpoints; a new temporary directory when unset. */
  Optional<String> workDirectory();
}
