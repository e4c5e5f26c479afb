package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The arithmetic of {@link LinearMerge} for one chunk of one tensor: {@link #load} decodes the base and fine-tuned
 * elements once, then {@link #mix} encodes the mix for each alpha in turn into a buffer of the caller's.
 *
 * <p>F32, F16 and BF16 elements are widened to float, mixed in float as {@code fma(alpha, fineTuned, (1 - alpha)
 * * base)} with both weights rounded to float, and rounded to nearest even into the tensor's own dtype. The
 * float result differs from the exact mix by at most one unit in the last place (ulp) of the result plus two ulps
 * of the larger input, so it loses digits only where the two terms cancel. Float arithmetic, unlike double,
 * compiles to vector instructions on Java 17, which makes the mix several times faster. F64 elements are mixed in
 * double.
 *
 * <p>{@link #load} decodes F32 chunks once for all alphas. F16 and BF16 chunks are copied as they are when the JVM
 * has the Vector API ({@code --add-modules jdk.incubator.vector}, as the service's launchers give it), and each
 * {@link #mix} widens, mixes and narrows them in one pass of {@link VectorHalfCodec}, with the same results bit for
 * bit; without the module they are decoded once as F32 is.
 *
 * <p>A mixer works on one thread; {@link ChunkPipeline} gives each of its workers a mixer of its own. Instances hold
 * scratch arrays for {@link #chunkElements()} elements, reuse them for every chunk and are not thread-safe.
 */
public final class ChunkMixer {

  /**
   * Whether {@link VectorHalfCodec} mixes F16 and BF16 chunks, which it does when the JVM has the Vector API module.
   * A constant, so the JIT compiler drops the other path.
   */
  private static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** Elements per warm-up chunk, so that the warm-up's buffers stay small. */
  private static final int WARM_UP_ELEMENTS = 1024;
  /** Chunks per dtype in {@link #warmUp}: enough calls and loop iterations for the optimizing JIT compiler. */
  private static final int WARM_UP_CHUNKS = 4000;

  private final int chunkElements;
  private final float[] baseFloats;
  private final float[] fineTunedFloats;
  private final float[] mixedFloats;
  /** Scratch space of {@link FloatChunkCodec} for 16-bit chunks, or null when {@link VectorHalfCodec} mixes them. */
  private final short[] halves;
  /** Copies of the loaded 16-bit chunks for {@link VectorHalfCodec}, or null without the Vector API. */
  private final short[] baseHalves;
  private final short[] fineTunedHalves;
  private double[] baseDoubles;
  private double[] fineTunedDoubles;
  private DType dtype;
  private int count;

  /** Creates a mixer for chunks of at most {@code chunkElements} elements. */
  public ChunkMixer(int chunkElements) {
    if (chunkElements < 1) {
      throw new IllegalArgumentException("chunkElements is " + chunkElements + "; give at least 1.");
    }
    this.chunkElements = chunkElements;
    this.baseFloats = new float[chunkElements];
    this.fineTunedFloats = new float[chunkElements];
    this.mixedFloats = new float[chunkElements];
    this.halves = VECTORIZED ? null : new short[chunkElements];
    this.baseHalves = VECTORIZED ? new short[chunkElements] : null;
    this.fineTunedHalves = VECTORIZED ? new short[chunkElements] : null;
  }

  /**
   * Mixes small F32, F16 and BF16 chunks until the JIT compiler has optimized the kernel. Before that the Vector
   * API's lane operations run as method calls that allocate. Without the warm-up, the first merge of a 176 MB F16
   * checkpoint in a new JVM ran at 0.24 GB/s, and with it at about 0.6 GB/s. The warm-up took 1.3 to 1.6 s on the
   * 2-core host with 256-bit vectors of docs/benchmarks.md, and 0.6 to 0.7 s on the one with 512-bit vectors.
   */
  static void warmUp() {
    ChunkMixer mixer = new ChunkMixer(WARM_UP_ELEMENTS);
    // Direct and little-endian, as the merge's buffers are, so that the compiled bulk copies fit them.
    ByteBuffer base = ByteBuffer.allocateDirect(WARM_UP_ELEMENTS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer fineTuned = ByteBuffer.allocateDirect(WARM_UP_ELEMENTS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer mixed = ByteBuffer.allocateDirect(WARM_UP_ELEMENTS * Double.BYTES);
    for (DType dtype : new DType[] {DType.F32, DType.F16, DType.BF16}) {
      for (int chunk = 0; chunk < WARM_UP_CHUNKS; chunk++) {
        mixer.load(dtype, base, fineTuned, WARM_UP_ELEMENTS);
        mixer.mix(0.5, mixed);
      }
    }
  }

  /** Returns a sentence naming the 16-bit conversions in use, for the log of the service that merges. */
  public static String describeConversions() {
    if (VECTORIZED) {
      return "F16 and BF16 chunks mixed on the Vector API, " + VectorHalfCodec.describe();
    }
    return "F16 and BF16 chunks mixed one element at a time; start the JVM with --add-modules jdk.incubator.vector"
        + " to mix several per instruction";
  }

  /** Returns the largest chunk, in elements, that {@link #load} accepts. */
  public int chunkElements() {
    return chunkElements;
  }

  /**
   * Decodes {@code count} elements of {@code dtype} from the start of each little-endian buffer.
   *
   * @throws IllegalArgumentException when the dtype is not F64, F32, F16 or BF16, the chunk is too large, or a
   *     buffer is big-endian
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
    if (base.order() != ByteOrder.LITTLE_ENDIAN || fineTuned.order() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalArgumentException("Chunk buffers are base " + base.order() + " and fine-tuned "
          + fineTuned.order() + "; safetensors data is little-endian, so set order(ByteOrder.LITTLE_ENDIAN).");
    }
    this.dtype = dtype;
    this.count = count;

    if (dtype == DType.F64) {
      loadDoubles(base, fineTuned);
      return;
    }
    if (mixesVectorized(dtype)) {
      base.asShortBuffer().get(baseHalves, 0, count);
      fineTuned.asShortBuffer().get(fineTunedHalves, 0, count);
      return;
    }
    FloatChunkCodec.decode(dtype, base, baseFloats, halves, count);
    FloatChunkCodec.decode(dtype, fineTuned, fineTunedFloats, halves, count);
  }

  /**
   * Encodes the loaded chunk mixed for {@code alpha} into {@code target}, in the loaded dtype and little-endian, and
   * returns the target with its position at 0 and its limit at the end of the chunk.
   *
   * @throws IllegalStateException when nothing was loaded
   * @throws IllegalArgumentException when the target's capacity is smaller than the encoded chunk
   */
  public ByteBuffer mix(double alpha, ByteBuffer target) {
    if (dtype == null) {
      throw new IllegalStateException("No chunk loaded; call load() before mix().");
    }
    int byteCount = count * dtype.byteSize();
    if (target.capacity() < byteCount) {
      throw new IllegalArgumentException("Target buffer capacity is " + target.capacity() + " bytes but the mixed chunk"
          + " has " + byteCount + "; give a buffer of at least chunkElements() * 8 bytes.");
    }
    target.clear().order(ByteOrder.LITTLE_ENDIAN);

    if (dtype == DType.F64) {
      mixDoubles(alpha, target);
    } else if (mixesVectorized(dtype)) {
      VectorHalfCodec.mix(dtype, baseHalves, fineTunedHalves, target, count, (float) (1.0 - alpha), (float) alpha);
    } else {
      mix(baseFloats, fineTunedFloats, mixedFloats, count, alpha);
      FloatChunkCodec.encode(dtype, mixedFloats, halves, count, target);
    }
    return target.limit(byteCount);
  }

  /** Computes {@code (1 - alpha) * base + alpha * fineTuned} in float, one fused multiply-add per element. */
  static void mix(float[] base, float[] fineTuned, float[] mixed, int count, double alpha) {
    float fineTunedWeight = (float) alpha;
    float baseWeight = (float) (1.0 - alpha);
    for (int i = 0; i < count; i++) {
      mixed[i] = mix(base[i], fineTuned[i], baseWeight, fineTunedWeight);
    }
  }

  /**
   * Returns {@code fineTunedWeight * fineTuned + baseWeight * base} as one fused multiply-add, the formula of every
   * element that is not mixed in a vector, so that all of them round alike.
   */
  static float mix(float base, float fineTuned, float baseWeight, float fineTunedWeight) {
    return Math.fma(fineTunedWeight, fineTuned, baseWeight * base);
  }

  private static boolean mixesVectorized(DType dtype) {
    return VECTORIZED && (dtype == DType.F16 || dtype == DType.BF16);
  }

  private void loadDoubles(ByteBuffer base, ByteBuffer fineTuned) {
    if (baseDoubles == null) {
      baseDoubles = new double[chunkElements];
      fineTunedDoubles = new double[chunkElements];
    }
    base.asDoubleBuffer().get(baseDoubles, 0, count);
    fineTuned.asDoubleBuffer().get(fineTunedDoubles, 0, count);
  }

  private void mixDoubles(double alpha, ByteBuffer target) {
    double baseWeight = 1.0 - alpha;
    for (int i = 0; i < count; i++) {
      target.putDouble(i * Double.BYTES, baseWeight * baseDoubles[i] + alpha * fineTunedDoubles[i]);
    }
  }
}
