package dev.paint.interpolator.merge;

import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.I2S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.S2I;

import dev.paint.shared.checkpoint.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mix of F16 and BF16 chunks on the incubating Vector API of Java 17, several elements per instruction: each
 * vector of base and fine-tuned elements is widened to float, mixed and rounded back in registers. Java 17 runs the
 * scalar 16-bit conversions one element at a time, which made them the slowest step of a 16-bit merge.
 *
 * <p>Only {@link ChunkMixer} calls this class, and only when the JVM was started with {@code --add-modules
 * jdk.incubator.vector}; without that flag the class is never loaded. Results equal {@link ChunkMixer}'s scalar
 * path bit for bit, because the fused multiply-add is the same and the conversions round as {@link FloatChunkCodec}'s
 * do. A vector that contains an F16 infinity or NaN, or whose mix is NaN, goes through the scalar code, and so does
 * the tail of each chunk shorter than a vector. No trained weight takes such a value.
 *
 * <p>Each loop is written out in one method, without helper methods, because every call level counts against the
 * JIT compiler's inlining depth. Where a Vector API call was left out of line, the loop allocated vector objects
 * and ran slower than the scalar code.
 */
final class VectorHalfCodec {

  private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
  /** Shorts with as many lanes as {@link #FLOATS}, in a vector half as wide. */
  private static final VectorSpecies<Short> SHORTS =
      VectorSpecies.of(short.class, VectorShape.forBitSize(FLOATS.vectorBitSize() / 2));

  private static final int FLOAT_SIGN = 0x8000_0000;
  private static final int FLOAT_INFINITY = 0x7f80_0000;
  private static final int HALF_SIGN = 0x8000;
  /** A half's sign, exponent and mantissa bits, and its exponent bits alone, shifted to a float's places. */
  private static final int HALF_IN_FLOAT = FLOAT_SIGN | 0x7fff << 13;
  private static final int HALF_EXPONENT_IN_FLOAT = 0x7c00 << 13;
  /** 2^112, two to the difference of the float and half exponent biases (127 - 15). */
  private static final float HALF_TO_FLOAT_SCALE = 0x1p112f;
  /** Bits of 2^-14, the smallest normal half. */
  private static final int FLOAT_OF_HALF_MIN_NORMAL = 113 << 23;

  private VectorHalfCodec() {
  }

  /** Returns the lane count and vector width in use, for the log line of the service that merges. */
  static String describe() {
    return FLOATS.length() + " floats per " + FLOATS.vectorBitSize() + "-bit vector";
  }

  /**
   * Mixes the first {@code count} 16-bit elements of {@code base} and {@code fineTuned}, both of {@code dtype}, as
   * {@code fma(fineTunedWeight, fineTuned, baseWeight * base)} in float, and rounds the results into {@code mixed}.
   * {@code mixed} is little-endian and written from index 0, whatever its position.
   *
   * <p>The vectors are stored straight into the buffer, which made the F16 and BF16 mix 8 to 19 % faster than
   * storing into an array and copying that (JMH, 512-bit vectors). Loading them from the input buffers in the same
   * way was faster still with 512-bit vectors but 21 % slower for BF16 with 256-bit ones, so the inputs are copied
   * into arrays once per chunk, for all alphas.
   */
  static void mix(DType dtype, short[] base, short[] fineTuned, ByteBuffer mixed, int count, float baseWeight,
      float fineTunedWeight) {
    int bound = FLOATS.loopBound(count);
    if (dtype == DType.F16) {
      mixHalves(base, fineTuned, mixed, bound, baseWeight, fineTunedWeight);
    } else {
      mixBfloat16s(base, fineTuned, mixed, bound, baseWeight, fineTunedWeight);
    }
    mixElements(dtype, base, fineTuned, mixed, bound, count, baseWeight, fineTunedWeight);
  }

  /**
   * Mixes halves. A sign-extended half shifted left by 13 has its sign in bit 31 and its exponent and mantissa in a
   * float's places, and read as a float it is the half times 2^-112, subnormals included. The weights carry the
   * factor 2^112 instead. Multiplying by a power of two is exact, so each product, and the sum, rounds as the scalar
   * path's does.
   *
   * <p>The narrowing is M. Dukhan's {@code fp16_ieee_from_fp32_value} (github.com/Maratyszcza/FP16), as in
   * {@link FloatChunkCodec}: adding a power of two that puts the half's last mantissa bit at the float's last makes
   * the float addition round to nearest even, subnormals and overflow to infinity included.
   */
  private static void mixHalves(short[] base, short[] fineTuned, ByteBuffer mixed, int bound, float baseWeight,
      float fineTunedWeight) {
    FloatVector baseWeights = FloatVector.broadcast(FLOATS, baseWeight * HALF_TO_FLOAT_SCALE);
    FloatVector fineTunedWeights = FloatVector.broadcast(FLOATS, fineTunedWeight * HALF_TO_FLOAT_SCALE);
    for (int i = 0; i < bound; i += FLOATS.length()) {
      IntVector baseBits = ((IntVector) ShortVector.fromArray(SHORTS, base, i)
          .convertShape(S2I, INTS, 0)).lanewise(LSHL, 13).and(HALF_IN_FLOAT);
      IntVector fineTunedBits = ((IntVector) ShortVector.fromArray(SHORTS, fineTuned, i)
          .convertShape(S2I, INTS, 0)).lanewise(LSHL, 13).and(HALF_IN_FLOAT);
      IntVector largerExponent = baseBits.and(HALF_EXPONENT_IN_FLOAT).max(fineTunedBits.and(HALF_EXPONENT_IN_FLOAT));

      FloatVector baseTerm = baseBits.reinterpretAsFloats().mul(baseWeights);
      IntVector bits = fineTunedBits.reinterpretAsFloats().fma(fineTunedWeights, baseTerm).reinterpretAsInts();
      IntVector magnitude = bits.and(~FLOAT_SIGN);
      if (largerExponent.compare(EQ, HALF_EXPONENT_IN_FLOAT).or(magnitude.compare(GT, FLOAT_INFINITY)).anyTrue()) {
        mixElements(DType.F16, base, fineTuned, mixed, i, i + FLOATS.length(), baseWeight, fineTunedWeight);
        continue;
      }

      FloatVector scaled = magnitude.reinterpretAsFloats().mul(0x1p112f).mul(0x1p-110f);
      IntVector rounder = magnitude.and(FLOAT_INFINITY).max(FLOAT_OF_HALF_MIN_NORMAL).add(15 << 23);
      IntVector rounded = rounder.reinterpretAsFloats().add(scaled).reinterpretAsInts();
      IntVector half = rounded.lanewise(LSHR, 13).and(0x7c00).add(rounded.and(0x0fff))
          .or(bits.lanewise(LSHR, 16).and(HALF_SIGN));
      ((ShortVector) half.convertShape(I2S, SHORTS, 0))
          .intoByteBuffer(mixed, i * Short.BYTES, ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** Mixes bfloat16s, the upper halves of floats, rounding the mix's lower half away to nearest even. */
  private static void mixBfloat16s(short[] base, short[] fineTuned, ByteBuffer mixed, int bound, float baseWeight,
      float fineTunedWeight) {
    FloatVector baseWeights = FloatVector.broadcast(FLOATS, baseWeight);
    FloatVector fineTunedWeights = FloatVector.broadcast(FLOATS, fineTunedWeight);
    for (int i = 0; i < bound; i += FLOATS.length()) {
      FloatVector baseValue = ((IntVector) ShortVector.fromArray(SHORTS, base, i)
          .convertShape(S2I, INTS, 0)).lanewise(LSHL, 16).reinterpretAsFloats();
      FloatVector fineTunedValue = ((IntVector) ShortVector.fromArray(SHORTS, fineTuned, i)
          .convertShape(S2I, INTS, 0)).lanewise(LSHL, 16).reinterpretAsFloats();
      IntVector bits = fineTunedValue.fma(fineTunedWeights, baseValue.mul(baseWeights)).reinterpretAsInts();
      if (bits.and(~FLOAT_SIGN).compare(GT, FLOAT_INFINITY).anyTrue()) {
        mixElements(DType.BF16, base, fineTuned, mixed, i, i + FLOATS.length(), baseWeight, fineTunedWeight);
        continue;
      }

      // A carry out of the kept mantissa raises the exponent, up to infinity, as rounding does.
      IntVector lowestKeptBit = bits.lanewise(LSHR, 16).and(1);
      IntVector rounded = bits.add(0x7fff).add(lowestKeptBit).lanewise(LSHR, 16);
      ((ShortVector) rounded.convertShape(I2S, SHORTS, 0))
          .intoByteBuffer(mixed, i * Short.BYTES, ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** The scalar mix of the elements in [{@code from}, {@code to}), for those the vector loops leave out. */
  private static void mixElements(DType dtype, short[] base, short[] fineTuned, ByteBuffer mixed, int from,
      int to, float baseWeight, float fineTunedWeight) {
    for (int i = from; i < to; i++) {
      int offset = i * Short.BYTES;
      float baseValue = FloatChunkCodec.widen(dtype, base[i]);
      float fineTunedValue = FloatChunkCodec.widen(dtype, fineTuned[i]);
      mixed.putShort(offset,
          FloatChunkCodec.narrow(dtype, ChunkMixer.mix(baseValue, fineTunedValue, baseWeight, fineTunedWeight)));
    }
  }
}
