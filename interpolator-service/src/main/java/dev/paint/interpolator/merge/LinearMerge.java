package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.SafetensorsFile;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linear interpolation of weights, the merge that PAINT uses (Ilharco et al., "Patching open-vocabulary models
 * by interpolating weights", NeurIPS 2022): {@code theta_alpha = (1 - alpha) * theta_base + alpha *
 * theta_fineTuned}, per element.
 *
 * <p>The merge streams: each tensor is read once from both inputs, in chunks of {@value #CHUNK_ELEMENTS}
 * elements, and written into every output before the next chunk is read. Heap use is a few chunk buffers
 * whatever the checkpoint size or the number of alphas.
 *
 * <p>F32, F16 and BF16 elements are widened to float, mixed in double and rounded to nearest even into the
 * tensor's own dtype. F64 elements are mixed in double. Double's rounding error is about 2^-53 of the larger
 * term, so a result lies within one unit in the last place (ulp) of the exact mix unless the two terms cancel
 * to far below their own size. F16 and BF16 results pass through float on the way, a second rounding that
 * stays within one ulp of the half type. Alpha 0 and 1 copy the input bytes, because the formula alone turns
 * a base {@code -0.0} into {@code +0.0} at alpha 0 and an infinity into NaN. Integer and BOOL tensors, such
 * as batch norm's {@code num_batches_tracked}, are counters rather than weights and are copied from the base.
 */
public final class LinearMerge implements MergeMethod {

  /** Name of this method in configuration and in the {@value MergeMethod#METADATA_METHOD} metadata. */
  public static final String NAME = "linear";

  /** Elements per chunk, 4 MiB per float buffer, which bounds heap use and keeps the per-chunk overhead small. */
  static final int CHUNK_ELEMENTS = 1 << 20;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void merge(Path base, Path fineTuned, List<Double> alphas, List<Path> outputs) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(fineTuned, "fineTuned");
    requireValidAlphas(alphas, outputs);
    requireValidOutputs(base, fineTuned, outputs);

    try (SafetensorsFile baseCheckpoint = SafetensorsFile.open(base);
        SafetensorsFile fineTunedCheckpoint = SafetensorsFile.open(fineTuned)) {
      CheckpointCompatibility.requireCompatible(baseCheckpoint, fineTunedCheckpoint);

      List<SafetensorsWriter> writers = createWriters(baseCheckpoint, alphas, outputs);
      try {
        writeTensors(baseCheckpoint, fineTunedCheckpoint, alphas, writers);
        for (SafetensorsWriter writer : writers) {
          writer.close();
        }
      } catch (RuntimeException | Error e) {
        writers.forEach(SafetensorsWriter::abort);
        throw e;
      }
    }
  }

  private static void requireValidAlphas(List<Double> alphas, List<Path> outputs) {
    Objects.requireNonNull(alphas, "alphas");
    Objects.requireNonNull(outputs, "outputs");
    if (alphas.isEmpty()) {
      throw new IllegalArgumentException("No alphas given; pass at least one alpha in [0, 1] and one output.");
    }
    if (alphas.size() != outputs.size()) {
      throw new IllegalArgumentException("Got " + alphas.size() + " alphas but " + outputs.size()
          + " outputs; pass one output path per alpha.");
    }
    for (int i = 0; i < alphas.size(); i++) {
      Double alpha = alphas.get(i);
      if (alpha == null || !(alpha >= 0.0 && alpha <= 1.0)) {
        throw new IllegalArgumentException("Alpha " + alpha + " at index " + i
            + " is outside [0, 1]; alpha 0 keeps the base and 1 the fine-tuned checkpoint.");
      }
    }
  }

  private static void requireValidOutputs(Path base, Path fineTuned, List<Path> outputs) {
    Set<Path> inputs = Set.of(normalized(base), normalized(fineTuned));
    Set<Path> seen = new HashSet<>();
    for (Path output : outputs) {
      Objects.requireNonNull(output, "output path");
      Path path = normalized(output);
      if (inputs.contains(path)) {
        throw new IllegalArgumentException("Output " + output + " is also an input of the merge; write the"
            + " candidates to new paths.");
      }
      if (!seen.add(path)) {
        throw new IllegalArgumentException("Output " + output + " is given twice; give each alpha its own"
            + " output path.");
      }
    }
  }

  private static Path normalized(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static List<SafetensorsWriter> createWriters(
      SafetensorsFile base, List<Double> alphas, List<Path> outputs) {
    List<SafetensorsWriter> writers = new ArrayList<>();
    try {
      for (int i = 0; i < outputs.size(); i++) {
        writers.add(SafetensorsWriter.create(outputs.get(i), base.tensors(), metadata(base, alphas.get(i))));
      }
    } catch (RuntimeException e) {
      writers.forEach(SafetensorsWriter::abort);
      throw e;
    }
    return writers;
  }

  private static Map<String, String> metadata(SafetensorsFile base, double alpha) {
    Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
    metadata.put(METADATA_METHOD, NAME);
    // Adding 0.0 turns -0.0 into 0.0, so alpha 0 is always recorded as "0.0".
    metadata.put(METADATA_ALPHA, Double.toString(alpha + 0.0));
    return metadata;
  }

  private static void writeTensors(
      SafetensorsFile base, SafetensorsFile fineTuned, List<Double> alphas, List<SafetensorsWriter> writers) {
    ChunkBuffers buffers = new ChunkBuffers();
    for (TensorSpec spec : base.tensors()) {
      ByteBuffer baseData = base.data(spec.name());
      ByteBuffer fineTunedData = fineTuned.data(spec.name());
      boolean mixable = spec.dtype().isFloatingPoint() && spec.elementCount() > 0;

      List<Integer> mixedOutputs = new ArrayList<>();
      for (int i = 0; i < alphas.size(); i++) {
        double alpha = alphas.get(i);
        if (!mixable || alpha == 0.0) {
          writers.get(i).write(spec.name(), baseData);
        } else if (alpha == 1.0) {
          writers.get(i).write(spec.name(), fineTunedData);
        } else {
          mixedOutputs.add(i);
        }
      }

      if (!mixedOutputs.isEmpty()) {
        mixTensor(spec, baseData, fineTunedData, alphas, writers, mixedOutputs, buffers);
      }
    }
  }

  /** Mixes one floating-point tensor for the outputs at {@code mixedOutputs}, chunk by chunk. */
  private static void mixTensor(TensorSpec spec, ByteBuffer baseData, ByteBuffer fineTunedData, List<Double> alphas,
      List<SafetensorsWriter> writers, List<Integer> mixedOutputs, ChunkBuffers buffers) {
    DType dtype = spec.dtype();
    // data() returns at most 2 GiB, so element counts and byte offsets fit in an int.
    int elementCount = Math.toIntExact(spec.elementCount());

    for (int start = 0; start < elementCount; start += CHUNK_ELEMENTS) {
      int count = Math.min(CHUNK_ELEMENTS, elementCount - start);
      ByteBuffer baseChunk = chunk(baseData, dtype, start, count);
      ByteBuffer fineTunedChunk = chunk(fineTunedData, dtype, start, count);

      if (dtype == DType.F64) {
        mixDoubleChunk(spec.name(), baseChunk, fineTunedChunk, count, alphas, writers, mixedOutputs, buffers);
      } else {
        mixFloatChunk(spec, baseChunk, fineTunedChunk, count, alphas, writers, mixedOutputs, buffers);
      }
    }
  }

  private static void mixFloatChunk(TensorSpec spec, ByteBuffer baseChunk, ByteBuffer fineTunedChunk, int count,
      List<Double> alphas, List<SafetensorsWriter> writers, List<Integer> mixedOutputs, ChunkBuffers buffers) {
    FloatChunkCodec.decode(spec.dtype(), baseChunk, buffers.baseFloats, count);
    FloatChunkCodec.decode(spec.dtype(), fineTunedChunk, buffers.fineTunedFloats, count);

    for (int output : mixedOutputs) {
      mix(buffers.baseFloats, buffers.fineTunedFloats, buffers.mixedFloats, count, alphas.get(output));
      FloatChunkCodec.encode(spec.dtype(), buffers.mixedFloats, count, buffers.output);
      writers.get(output).writeChunk(spec.name(), buffers.output);
    }
  }

  private static void mixDoubleChunk(String name, ByteBuffer baseChunk, ByteBuffer fineTunedChunk, int count,
      List<Double> alphas, List<SafetensorsWriter> writers, List<Integer> mixedOutputs, ChunkBuffers buffers) {
    double[] baseDoubles = buffers.baseDoubles();
    double[] fineTunedDoubles = buffers.fineTunedDoubles();
    double[] mixedDoubles = buffers.mixedDoubles();
    baseChunk.asDoubleBuffer().get(baseDoubles, 0, count);
    fineTunedChunk.asDoubleBuffer().get(fineTunedDoubles, 0, count);

    for (int output : mixedOutputs) {
      double alpha = alphas.get(output);
      double baseWeight = 1.0 - alpha;
      for (int i = 0; i < count; i++) {
        mixedDoubles[i] = baseWeight * baseDoubles[i] + alpha * fineTunedDoubles[i];
      }
      buffers.output.clear();
      buffers.output.asDoubleBuffer().put(mixedDoubles, 0, count);
      buffers.output.limit(count * Double.BYTES);
      writers.get(output).writeChunk(name, buffers.output);
    }
  }

  /** Computes {@code (1 - alpha) * base + alpha * fineTuned} in double and rounds each result once to float. */
  static void mix(float[] base, float[] fineTuned, float[] mixed, int count, double alpha) {
    double baseWeight = 1.0 - alpha;
    for (int i = 0; i < count; i++) {
      mixed[i] = (float) (baseWeight * base[i] + alpha * fineTuned[i]);
    }
  }

  private static ByteBuffer chunk(ByteBuffer data, DType dtype, int start, int count) {
    return data.slice(start * dtype.byteSize(), count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Scratch arrays and the output buffer, allocated once per merge and reused for every chunk. */
  private static final class ChunkBuffers {
    final float[] baseFloats = new float[CHUNK_ELEMENTS];
    final float[] fineTunedFloats = new float[CHUNK_ELEMENTS];
    final float[] mixedFloats = new float[CHUNK_ELEMENTS];
    /** Direct, so that the file channel writes it without an intermediate copy; sized for F64 chunks. */
    final ByteBuffer output = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private double[] baseDoubles;
    private double[] fineTunedDoubles;
    private double[] mixedDoubles;

    double[] baseDoubles() {
      if (baseDoubles == null) {
        baseDoubles = new double[CHUNK_ELEMENTS];
      }
      return baseDoubles;
    }

    double[] fineTunedDoubles() {
      if (fineTunedDoubles == null) {
        fineTunedDoubles = new double[CHUNK_ELEMENTS];
      }
      return fineTunedDoubles;
    }

    double[] mixedDoubles() {
      if (mixedDoubles == null) {
        mixedDoubles = new double[CHUNK_ELEMENTS];
      }
      return mixedDoubles;
    }
  }
}
