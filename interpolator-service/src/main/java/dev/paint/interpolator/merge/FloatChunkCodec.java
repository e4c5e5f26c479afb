package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;

/**
 * Decoding of F32, F16 and BF16 tensor data into float arrays and encoding back, a chunk at a time. Buffers
 * are little-endian. Widening is exact and narrowing rounds to nearest even, so decoding and re-encoding
 * returns the original bits.
 */
final class FloatChunkCodec {

  private FloatChunkCodec() {
  }

  /** Decodes {@code count} elements from the start of {@code source} into {@code target}. */
  static void decode(DType dtype, ByteBuffer source, float[] target, int count) {
    switch (dtype) {
      case F32 -> source.asFloatBuffer().get(target, 0, count);
      case F16 -> {
        ShortBuffer halves = source.asShortBuffer();
        for (int i = 0; i < count; i++) {
          target[i] = Float16.fromHalf(halves.get(i));
        }
      }
      case BF16 -> {
        ShortBuffer halves = source.asShortBuffer();
        for (int i = 0; i < count; i++) {
          target[i] = Float16.fromBfloat16(halves.get(i));
        }
      }
      default -> throw new IllegalArgumentException("Dtype " + dtype + " is not decoded to float; F32, F16 and"
          + " BF16 are.");
    }
  }

  /**
   * Encodes {@code count} elements of {@code source} into {@code target} from its start and sets its limit to
   * the end of the encoded bytes.
   */
  static void encode(DType dtype, float[] source, int count, ByteBuffer target) {
    target.clear();
    switch (dtype) {
      case F32 -> target.asFloatBuffer().put(source, 0, count);
      case F16 -> {
        ShortBuffer halves = target.asShortBuffer();
        for (int i = 0; i < count; i++) {
          halves.put(i, Float16.toHalf(source[i]));
        }
      }
      case BF16 -> {
        ShortBuffer halves = target.asShortBuffer();
        for (int i = 0; i < count; i++) {
          halves.put(i, Float16.toBfloat16(source[i]));
        }
      }
      default -> throw new IllegalArgumentException("Dtype " + dtype + " is not encoded from float; F32, F16"
          + " and BF16 are.");
    }
    target.limit(count * dtype.byteSize());
  }
}
