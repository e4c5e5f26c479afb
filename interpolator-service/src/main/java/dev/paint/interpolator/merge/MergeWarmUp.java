package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link LinearMerge} on small checkpoints before the first real merge, so that the first patch task's merge
 * runs compiled code. First {@link ChunkMixer#warmUp()} mixes chunks until the kernel is compiled, then a few merges
 * of two small checkpoints with F32, F16, BF16, F64 and I64 tensors run the reading, the pipeline and the writing as
 * well.
 *
 * <p>On the 2-core host with 512-bit vectors of docs/benchmarks.md, {@code PaintMerge} showed the effect. After the
 * kernel's warm-up alone, the first merge of a 176 MB F16 checkpoint took 0.38 to 0.48 s, about 3 times as long as
 * later ones. After the merges of this class it took 0.13 to 0.19 s.
 */
public final class MergeWarmUp {

  /** Elements of each floating-point tensor: three full chunks and a tail shorter than a vector. */
  private static final int TENSOR_ELEMENTS = 3 * LinearMerge.CHUNK_ELEMENTS + 5;
  /** The alphas of every warm-up merge: both copies of the inputs and one mix. */
  private static final List<Double> ALPHAS = List.of(0.0, 0.5, 1.0);
  private static final int MERGES = 3;

  private MergeWarmUp() {
  }

  /**
   * Warms the merge up in {@code directory}, an existing directory, and deletes the files it wrote there.
   *
   * @throws UncheckedIOException when the checkpoints cannot be written to {@code directory}
   */
  public static void run(Path directory) {
    ChunkMixer.warmUp();

    Path base = directory.resolve("warm-up-base.safetensors");
    Path fineTuned = directory.resolve("warm-up-fine-tuned.safetensors");
    List<Path> files = new ArrayList<>(List.of(base, fineTuned));
    List<Path> outputs = new ArrayList<>();
    for (int i = 0; i < ALPHAS.size(); i++) {
      outputs.add(directory.resolve("warm-up-candidate-" + i + ".safetensors"));
    }
    files.addAll(outputs);
    try {
      SafetensorsWriter.write(base, tensors(0.0f), Map.of());
      SafetensorsWriter.write(fineTuned, tensors(1.0f), Map.of());
      LinearMerge merge = new LinearMerge();
      for (int round = 0; round < MERGES; round++) {
        merge.merge(base, fineTuned, ALPHAS, outputs);
        deleteAll(outputs);
      }
    } finally {
      deleteAll(files);
    }
  }

  /** Returns one tensor per dtype, with weight-like values that differ from checkpoint to checkpoint. */
  private static List<Tensor> tensors(float phase) {
    float[] values = new float[TENSOR_ELEMENTS];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.05f * (float) Math.sin(i + phase);
    }
    long[] shape = {TENSOR_ELEMENTS};
    long[] positions = {0, 1, 2, 3};
    return List.of(
        Tensor.ofFloats("f32.weight", DType.F32, shape, values),
        Tensor.ofFloats("f16.weight", DType.F16, shape, values),
        Tensor.ofFloats("bf16.weight", DType.BF16, shape, values),
        Tensor.ofFloats("f64.weight", DType.F64, new long[] {4}, new float[] {phase, 1, 2, 3}),
        Tensor.ofLongs("position_ids", new long[] {4}, positions));
  }

  private static void deleteAll(List<Path> files) {
    try {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Deleting a warm-up checkpoint failed: " + e.getMessage(), e);
    }
  }
}
