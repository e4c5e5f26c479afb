package dev.paint.shared.checkpoint;

/**
 * Conversions between {@code float} and the two 16-bit floating-point formats that checkpoints use: IEEE
 * 754 binary16 (safetensors {@code F16}) and bfloat16 ({@code BF16}, the upper half of a binary32).
 *
 * <p>Narrowing rounds to nearest, ties to even, as IEEE 754 requires by default. Values beyond the largest
 * finite half (65504) round to infinity, values below half the smallest subnormal (2^-24) round to zero,
 * and NaN stays NaN: its payload is kept where it fits, so every 16-bit NaN survives a round trip through
 * {@code float} bit for bit. Widening is exact. Java 17 has no {@code Float.floatToFloat16} (added in Java
 * 20), hence this class.
 */
public final class Float16 {

  private static final int FLOAT_SIGN = 0x8000_0000;
  private static final int FLOAT_EXPONENT_MASK = 0x7f80_0000;
  private static final int FLOAT_MANTISSA_MASK = 0x007f_ffff;
  private static final int FLOAT_IMPLICIT_BIT = 0x0080_0000;

  private static final int HALF_EXPONENT_MASK = 0x7c00;
  private static final int HALF_MANTISSA_MASK = 0x03ff;
  private static final int HALF_QUIET_NAN_BIT = 0x0200;
  /** Difference between the float exponent bias (127) and the half exponent bias (15). */
  private static final int BIAS_DIFFERENCE = 127 - 15;
  /** Bits of 2^-14, the smallest normal half, as a float. */
  private static final int FLOAT_BITS_OF_MIN_NORMAL_HALF = 0x3880_0000;
  /** Bits of 65520, halfway between 65504 (the largest half) and 65536: from here on a half rounds to infinity. */
  private static final int FLOAT_BITS_OF_HALF_OVERFLOW = 0x477f_f000;

  private static final int BFLOAT16_MANTISSA_MASK = 0x007f;
  private static final int BFLOAT16_QUIET_NAN_BIT = 0x0040;

  private Float16() {
  }

  /** Returns the binary16 bits nearest to {@code value}, ties to even. */
  public static short toHalf(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & ~FLOAT_SIGN;

    if (magnitude >= FLOAT_EXPONENT_MASK) {
      return (short) (sign | halfInfinityOrNaN(magnitude));
    }
    if (magnitude >= FLOAT_BITS_OF_HALF_OVERFLOW) {
      return (short) (sign | HALF_EXPONENT_MASK);
    }
    if (magnitude >= FLOAT_BITS_OF_MIN_NORMAL_HALF) {
      return (short) (sign | roundedNormalHalf(magnitude));
    }
    return (short) (sign | roundedSubnormalHalf(magnitude));
  }

  /** Returns the float that the binary16 {@code bits} encode; every half is exactly representable. */
  public static float fromHalf(short bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits & HALF_EXPONENT_MASK) >>> 10;
    int mantissa = bits & HALF_MANTISSA_MASK;

    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | FLOAT_EXPONENT_MASK | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: the value is mantissa * 2^-24, exact in float because mantissa < 2^10.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + BIAS_DIFFERENCE) << 23) | (mantissa << 13));
  }

  /** Returns the bfloat16 bits nearest to {@code value}, ties to even. */
  public static short toBfloat16(float value) {
    int bits = Float.floatToRawIntBits(value);

    if ((bits & ~FLOAT_SIGN) > FLOAT_EXPONENT_MASK) {
      int truncated = bits >>> 16;
      boolean payloadLost = (truncated & BFLOAT16_MANTISSA_MASK) == 0;
      return (short) (payloadLost ? truncated | BFLOAT16_QUIET_NAN_BIT : truncated);
    }

    // Adding 0x7fff rounds the dropped half-word up when it exceeds one half, and the lowest kept bit breaks a tie.
    // A carry out of the mantissa bumps the exponent, which turns the largest floats into infinity.
    int roundingBias = 0x7fff + ((bits >>> 16) & 1);
    return (short) ((bits + roundingBias) >>> 16);
  }

  /** Returns the float that the bfloat16 {@code bits} encode, exactly. */
  public static float fromBfloat16(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  private static int halfInfinityOrNaN(int floatMagnitude) {
    int mantissa = (floatMagnitude & FLOAT_MANTISSA_MASK) >>> 13;
    if ((floatMagnitude & FLOAT_MANTISSA_MASK) == 0) {
      return HALF_EXPONENT_MASK;
    }
    // A NaN whose payload sits only in the 13 dropped bits would become infinity; keep it NaN.
    return HALF_EXPONENT_MASK | (mantissa == 0 ? HALF_QUIET_NAN_BIT : mantissa);
  }

  private static int roundedNormalHalf(int floatMagnitude) {
    int exponent = (floatMagnitude >>> 23) - BIAS_DIFFERENCE;
    int mantissa = floatMagnitude & FLOAT_MANTISSA_MASK;
    int half = (exponent << 10) | (mantissa >>> 13);

    // A carry from the mantissa into the exponent yields the next binade, which is the correct encoding.
    return half + roundingIncrement(mantissa, 13, half);
  }

  private static int roundedSubnormalHalf(int floatMagnitude) {
    // The float is (mantissa | implicit bit) * 2^(exponent - 150) and a subnormal half is m * 2^-24,
    // so m is the full mantissa shifted right by 126 - exponent. A shift over 24 leaves less than
    // half of 2^-24, which rounds to zero. Float subnormals (exponent 0) land there too.
    int exponent = floatMagnitude >>> 23;
    int shift = 126 - exponent;
    if (shift > 24) {
      return 0;
    }

    int mantissa = (floatMagnitude & FLOAT_MANTISSA_MASK) | FLOAT_IMPLICIT_BIT;
    int half = mantissa >>> shift;
    // Rounding 0x3ff up gives 0x400, the encoding of the smallest normal half.
    return half + roundingIncrement(mantissa, shift, half);
  }

  /** Returns 1 when dropping the low {@code droppedBits} of {@code bits} must round {@code keptBits} up. */
  private static int roundingIncrement(int bits, int droppedBits, int keptBits) {
    int remainder = bits & ((1 << droppedBits) - 1);
    int halfway = 1 << (droppedBits - 1);
    boolean roundUp = remainder > halfway || (remainder == halfway && (keptBits & 1) != 0);
    return roundUp ? 1 : 0;
  }
}
