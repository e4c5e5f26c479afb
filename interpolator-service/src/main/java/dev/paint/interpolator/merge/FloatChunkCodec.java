package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;

/**
 * Decoding of F32, F16 and BF16 tensor data into float arrays and encoding back, a chunk at a time. Buffers
 * are little-endian. Widening is exact and narrowing rounds to nearest even, so decoding and re-encoding
 * returns the original bits; the results equal {@link Float16}'s bit for bit.
 *
 * <p>Every loop runs over plain arrays, filled and drained by bulk copies, so the JIT compiles it without
 * per-element buffer calls. Java 17 has no intrinsic for half-precision conversion, so F16 is decoded through a
 * 256 KiB lookup table and encoded with integer rounding. {@link VectorHalfCodec} does the same conversions several
 * elements per instruction where the JVM offers the Vector API, and falls back on {@link #widen} and {@link #narrow}
 * for the elements it leaves out.
 */
final class FloatChunkCodec {

  /** Float value of every binary16 bit pattern, indexed by the pattern as an unsigned short. */
  private static final float[] HALF_TO_FLOAT = halfToFloatTable();

  /** Biased float exponents of 2^-14 and 2^15, the smallest and largest normal binary16 magnitudes' exponents. */
  private static final int MIN_NORMAL_EXPONENT = 113;
  private static final int MAX_NORMAL_EXPONENT = 142;

  private FloatChunkCodec() {
  }

  /**
   * Decodes {@code count} elements from the start of {@code source} into the start of {@code target}; {@code halves}
   * is scratch space for the 16-bit types.
   */
  static void decode(DType dtype, ByteBuffer source, float[] target, short[] halves, int count) {
    switch (dtype) {
      case F32 -> source.asFloatBuffer().get(target, 0, count);
      case F16 -> {
        source.asShortBuffer().get(halves, 0, count);
        for (int i = 0; i < count; i++) {
          target[i] = HALF_TO_FLOAT[halves[i] & 0xffff];
        }
      }
      case BF16 -> {
        source.asShortBuffer().get(halves, 0, count);
        for (int i = 0; i < count; i++) {
          target[i] = Float.intBitsToFloat(halves[i] << 16);
        }
      }
      default -> throw new IllegalArgumentException("Dtype " + dtype + " is not decoded to float; F32, F16 and"
          + " BF16 are.");
    }
  }

  /**
   * Encodes the first {@code count} elements of {@code source} into the start of the little-endian {@code target};
   * {@code halves} is scratch space as in {@link #decode}. The target's position and limit are left unchanged.
   */
  static void encode(DType dtype, float[] source, short[] halves, int count, ByteBuffer target) {
    switch (dtype) {
      case F32 -> target.asFloatBuffer().put(source, 0, count);
      case F16 -> {
        for (int i = 0; i < count; i++) {
          halves[i] = toHalf(source[i]);
        }
        target.asShortBuffer().put(halves, 0, count);
      }
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          halves[i] = Float16.toBfloat16(source[i]);
        }
        target.asShortBuffer().put(halves, 0, count);
      }
      default -> throw new IllegalArgumentException("Dtype " + dtype + " is not encoded from float; F32, F16"
          + " and BF16 are.");
    }
  }

  /** Returns the float that the 16-bit {@code bits} of {@code dtype}, F16 or BF16, encode. */
  static float widen(DType dtype, short bits) {
    return dtype == DType.F16 ? HALF_TO_FLOAT[bits & 0xffff] : Float.intBitsToFloat(bits << 16);
  }

  /** Returns the bits of {@code dtype}, F16 or BF16, nearest to {@code value}, ties to even. */
  static short narrow(DType dtype, float value) {
    return dtype == DType.F16 ? toHalf(value) : Float16.toBfloat16(value);
  }

  /**
   * Returns the binary16 bits nearest to {@code value}, ties to even. Floats whose exponent lies in the normal range
   * of binary16, nearly every trained weight, are rounded with integer arithmetic alone; the rest go through
   * {@link #toHalfOutsideNormalRange}. A one-off comparison over all 2^32 floats found the result equal to
   * {@link Float16#toHalf}.
   */
  static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int exponent = (bits >>> 23) & 0xff;
    if (Integer.compareUnsigned(exponent - MIN_NORMAL_EXPONENT, MAX_NORMAL_EXPONENT - MIN_NORMAL_EXPONENT) > 0) {
      return toHalfOutsideNormalRange(value);
    }

    // Round the 23 mantissa bits to 10, ties to even. A carry out of the mantissa raises the exponent, which turns
    // the largest values into infinity as IEEE 754 rounding does.
    int mantissa = bits & 0x7f_ffff;
    int rounded = (mantissa + 0x0fff + ((mantissa >>> 13) & 1)) >>> 13;
    int sign = (bits >>> 16) & 0x8000;
    return (short) (sign | (((exponent - 112) << 10) + rounded));
  }

  /**
   * Returns the binary16 bits nearest to {@code value}, ties to even, without branching on the value's range. The
   * method is M. Dukhan's {@code fp16_ieee_from_fp32_value} (github.com/Maratyszcza/FP16, include/fp16/fp16.h). A
   * one-off comparison over all 2^32 floats found it equal to {@link Float16#toHalf} except for NaN, which
   * therefore goes to {@link Float16#toHalf} to keep its payload.
   */
  private static short toHalfOutsideNormalRange(float value) {
    int bits = Float.floatToRawIntBits(value);
    int doubled = bits << 1;
    if (Integer.compareUnsigned(doubled, 0xff00_0000) > 0) {
      return Float16.toHalf(value);
    }

    // Scaling by 2^112 sends values above the largest half to infinity, and 2^-110 brings the rest back at 4x, so
    // that the addition below rounds at the tenth mantissa bit of the half (or of the subnormal grid).
    float scaled = (Math.abs(value) * 0x1.0p112f) * 0x1.0p-110f;
    int bias = doubled & 0xff00_0000;
    if (Integer.compareUnsigned(bias, 0x7100_0000) < 0) {
      bias = 0x7100_0000;
    }
    float rounded = Float.intBitsToFloat((bias >>> 1) + 0x0780_0000) + scaled;

    int roundedBits = Float.floatToRawIntBits(rounded);
    int exponentBits = (roundedBits >>> 13) & 0x7c00;
    int mantissaBits = roundedBits & 0x0fff;
    return (short) (((bits >>> 16) & 0x8000) | (exponentBits + mantissaBits));
  }

  private static float[] halfToFloatTable() {
    float[] table = new float[1 << 16];
    for (int bits = 0; bits < table.length; bits++) {
      table[bits] = Float16.fromHalf((short) bits);
    }
    return table;
  }
}
