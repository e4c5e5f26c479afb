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
 * <p>A mixer works on one thread; {@link ChunkPipeline} gives each of its workers a mixer of its own. Instances hold
 * scratch arrays for {@link #chunkElements()} elements, reuse them for every chunk and are not thread-safe.
 */
public final class ChunkMixer {

  private final int chunkElements;
  private final float[] baseFloats;
  private final float[] fineTunedFloats;
  private final float[] mixedFloats;
  private final short[] halves;
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
    this.halves = new short[chunkElements];
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
      mixed[i] = Math.fma(fineTunedWeight, fineTuned[i], baseWeight * base[i]);
    }
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
