package dev.paint.interpolator.merge;

import java.nio.file.Path;
import java.util.List;

/**
 * A way of merging a fine-tuned checkpoint with its base checkpoint into candidate checkpoints, one per alpha.
 * Implementations are chosen by {@link #name()}, see {@link MergeMethods}.
 */
public interface MergeMethod {

  /** Output metadata key that records the merge method's name. */
  String METADATA_METHOD = "paint.merge.method";

  /** Output metadata key that records the alpha, formatted with {@link Double#toString(double)}. */
  String METADATA_ALPHA = "paint.merge.alpha";

  /** Returns the name that configuration uses to choose this method, such as {@code "linear"}. */
  String name();

  /**
   * Merges {@code base} and {@code fineTuned} into {@code outputs.get(i)} for {@code alphas.get(i)}, where alpha 0
   * means the base and alpha 1 the fine-tuned checkpoint. Each path is a safetensors file or the index file of a
   * sharded checkpoint (see {@link dev.paint.shared.checkpoint.Checkpoints}), in any mix.
   *
   * <p>The checkpoints are compared before anything is written. An output appears at its path only when it
   * is complete. A failure deletes the partial outputs, but outputs completed before the failure stay.
   *
   * @throws IllegalArgumentException when an alpha is outside [0, 1] or NaN, when the lists are empty or differ
   *     in size, or when an output would write a file that an input or another output uses
   * @throws IncompatibleCheckpointsException when the checkpoints differ in tensor names, dtypes or shapes
   * @throws dev.paint.shared.checkpoint.CheckpointFormatException when an input is not a valid safetensors file
   * @throws java.io.UncheckedIOException when reading or writing fails
   */
  void merge(Path base, Path fineTuned, List<Double> alphas, List<Path> outputs);
}
