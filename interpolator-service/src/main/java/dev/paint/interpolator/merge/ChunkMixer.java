package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.IntStream;

/**
 * The arithmetic of {@link LinearMerge} for one chunk of one tensor: {@link #load} decodes the base and fine-tuned
 * elements once, then {@link #mix} returns the encoded mix for each alpha in turn.
 *
 * <p>F32, F16 and BF16 elements are widened to float, mixed in float as {@code fma(alpha, fineTuned, (1 - alpha)
 * * base)} with both weights rounded to float, and rounded to nearest even into the tensor's own dtype. The
 * float result differs from the exact mix by at most one unit in the last place (ulp) of the result plus two ulps
 * of the larger input, so it loses digits only where the two terms cancel. Float arithmetic, unlike double,
 * compiles to vector instructions on Java 17, which makes the mix several times faster. F64 elements are mixed in
 * double.
 *
 * <p>A chunk of at least {@value #MIN_SLICE_ELEMENTS} elements per core is split into slices that the common
 * fork-join pool decodes, mixes and encodes in parallel, because F16 and BF16 conversion costs more than the copy
 * of the bytes and would otherwise bound the merge to one core.
 *
 * <p>Instances hold scratch arrays and an output buffer for {@link #chunkElements()} elements, reuse them for every
 * chunk and are not thread-safe.
 */
public final class ChunkMixer {

  /** Smallest slice worth a task of its own: 16 Ki elements take several microseconds, far above a task's cost. */
  static final int MIN_SLICE_ELEMENTS = 1 << 14;

  private final int chunkElements;
  private final int parallelism;
  private final float[] baseFloats;
  private final float[] fineTunedFloats;
  private final float[] mixedFloats;
  private final short[] halves;
  /** Direct, so that a file channel writes it without an intermediate copy; sized for F64 chunks. */
  private final ByteBuffer output;
  private double[] baseDoubles;
  private double[] fineTunedDoubles;
  private DType dtype;
  private int count;

  /** Creates a mixer for chunks of at most {@code chunkElements} elements that uses every available processor. */
  public ChunkMixer(int chunkElements) {
    this(chunkElements, Runtime.getRuntime().availableProcessors());
  }

  /** Creates a mixer for chunks of at most {@code chunkElements} elements that uses up to {@code parallelism} threads. */
  public ChunkMixer(int chunkElements, int parallelism) {
    if (chunkElements < 1) {
      throw new IllegalArgumentException("chunkElements is " + chunkElements + "; give at least 1.");
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism is " + parallelism + "; give at least 1 thread.");
    }
    this.chunkElements = chunkElements;
    this.parallelism = parallelism;
    this.baseFloats = new float[chunkElements];
    this.fineTunedFloats = new float[chunkElements];
    this.mixedFloats = new float[chunkElements];
    this.halves = new short[chunkElements];
    this.output = ByteBuffer.allocateDirect(Math.multiplyExact(chunkElements, Double.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Returns the largest chunk, in elements, that {@link #load} accepts. */
  public int chunkElements() {
    return chunkElements;
  }

  /**
   * Decodes {@code count} elements of {@code dtype} from the start of each little-endian buffer.
   *
   * @throws IllegalArgumentException when the dtype is not F64, F32, F16 or BF16, or the chunk is too large
   */
  public void load(DType dtype, ByteBuffer base, ByteBuffer fineTuned, int count) {
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("Dtype " + dtype + " is not mixed; integer and BOOL tensors are copied"
          + " from the base.");
    }
    if (count < 0 || count > chunkElements) {
      throw new IllegalArgumentException("Chunk of " + count + " elements is outside [0, " + chunkElements
          + "]; split the tensor into chunks of at most chunkElements().");
    }
    this.dtype = dtype;
    this.count = count;

    if (dtype == DType.F64) {
      loadDoubles(base, fineTuned);
      return;
    }
    int elementSize = dtype.byteSize();
    forEachSlice((offset, length) -> {
      FloatChunkCodec.decode(dtype, slice(base, offset, length, elementSize), baseFloats, halves, offset, length);
      FloatChunkCodec.decode(dtype, slice(fineTuned, offset, length, elementSize), fineTunedFloats, halves, offset,
          length);
    });
  }

  /**
   * Returns the loaded chunk mixed for {@code alpha}, encoded in the loaded dtype, in a buffer that the next call
   * overwrites.
   *
   * @throws IllegalStateException when nothing was loaded
   */
  public ByteBuffer mix(double alpha) {
    if (dtype == null) {
      throw new IllegalStateException("No chunk loaded; call load() before mix().");
    }
    if (dtype == DType.F64) {
      return mixDoubles(alpha);
    }

    int elementSize = dtype.byteSize();
    output.clear();
    forEachSlice((offset, length) -> {
      mix(baseFloats, fineTunedFloats, mixedFloats, offset, length, alpha);
      FloatChunkCodec.encode(dtype, mixedFloats, halves, offset, length, slice(output, offset, length, elementSize));
    });
    return output.limit(count * elementSize);
  }

  /** Computes {@code (1 - alpha) * base + alpha * fineTuned} in float, one fused multiply-add per element. */
  static void mix(float[] base, float[] fineTuned, float[] mixed, int offset, int count, double alpha) {
    float fineTunedWeight = (float) alpha;
    float baseWeight = (float) (1.0 - alpha);
    for (int i = offset; i < offset + count; i++) {
      mixed[i] = Math.fma(fineTunedWeight, fineTuned[i], baseWeight * base[i]);
    }
  }

  /** Runs {@code work} on consecutive slices that cover the loaded chunk, in parallel when it is large enough. */
  private void forEachSlice(SliceWork work) {
    int slices = Math.max(1, Math.min(parallelism, count / MIN_SLICE_ELEMENTS));
    if (slices == 1) {
      work.run(0, count);
      return;
    }
    IntStream.range(0, slices).parallel().forEach(slice -> {
      int begin = (int) ((long) count * slice / slices);
      int end = (int) ((long) count * (slice + 1) / slices);
      work.run(begin, end - begin);
    });
  }

  private static ByteBuffer slice(ByteBuffer buffer, int offset, int length, int elementSize) {
    return buffer.slice(offset * elementSize, length * elementSize).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Work on the elements {@code [offset, offset + length)} of the loaded chunk. */
  @FunctionalInterface
  private interface SliceWork {
    void run(int offset, int length);
  }

  private void loadDoubles(ByteBuffer base, ByteBuffer fineTuned) {
    if (baseDoubles == null) {
      baseDoubles = new double[chunkElements];
      fineTunedDoubles = new double[chunkElements];
    }
    base.asDoubleBuffer().get(baseDoubles, 0, count);
    fineTuned.asDoubleBuffer().get(fineTunedDoubles, 0, count);
  }

  private ByteBuffer mixDoubles(double alpha) {
    double baseWeight = 1.0 - alpha;
    output.clear();
    for (int i = 0; i < count; i++) {
      output.putDouble(i * Double.BYTES, baseWeight * baseDoubles[i] + alpha * fineTunedDoubles[i]);
    }
    output.limit(count * Double.BYTES);
    return output;
  }
}
