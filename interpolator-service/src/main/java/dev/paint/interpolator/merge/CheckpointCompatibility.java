package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.TensorSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Compatibility check between two checkpoints, which every merge method runs before it writes anything. */
public final class CheckpointCompatibility {

  private static final String ADVICE = " Merge only a checkpoint fine-tuned from this base model, exported in the"
      + " same dtype.";

  private CheckpointCompatibility() {
  }

  /**
   * Checks that both checkpoints have the same tensor names, whatever their order in the files, with the same
   * dtypes and shapes.
   *
   * @throws IncompatibleCheckpointsException naming the first differing tensor in name order and both sides
   */
  public static void requireCompatible(Checkpoint base, Checkpoint fineTuned) {
    Map<String, TensorSpec> baseSpecs = byName(base);
    Map<String, TensorSpec> fineTunedSpecs = byName(fineTuned);
    TreeSet<String> names = new TreeSet<>(baseSpecs.keySet());
    names.addAll(fineTunedSpecs.keySet());

    for (String name : names) {
      TensorSpec baseSpec = baseSpecs.get(name);
      TensorSpec fineTunedSpec = fineTunedSpecs.get(name);
      if (fineTunedSpec == null) {
        throw incompatible(base, fineTuned, "tensor '" + name + "' (" + layout(baseSpec)
            + ") is in the base but missing from the fine-tuned checkpoint.");
      }
      if (baseSpec == null) {
        throw incompatible(base, fineTuned, "tensor '" + name + "' (" + layout(fineTunedSpec)
            + ") is in the fine-tuned checkpoint but missing from the base.");
      }
      if (!baseSpec.sameLayout(fineTunedSpec)) {
        throw incompatible(base, fineTuned, "tensor '" + name + "' is " + layout(baseSpec)
            + " in the base but " + layout(fineTunedSpec) + " in the fine-tuned checkpoint.");
      }
    }
  }

  private static Map<String, TensorSpec> byName(Checkpoint checkpoint) {
    return checkpoint.tensors().stream().collect(Collectors.toMap(TensorSpec::name, Function.identity()));
  }

  private static String layout(TensorSpec spec) {
    return "dtype " + spec.dtype() + ", shape " + Arrays.toString(spec.shape());
  }

  private static IncompatibleCheckpointsException incompatible(
      Checkpoint base, Checkpoint fineTuned, String difference) {
    return new IncompatibleCheckpointsException("Cannot merge base checkpoint " + base.path()
        + " with fine-tuned checkpoint " + fineTuned.path() + ": " + difference + ADVICE);
  }
}
