package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The vectorized 16-bit mix against a scalar one built on {@link Float16}, bit for bit. */
class VectorHalfCodecTest {

  private static final int EVERY_PATTERN = 1 << 16;
  private static final double[] ALPHAS = {0.0, 0.3, 0.5, 0.9, 1.0};

  @Test
  void testJvmHasTheVectorApi() {
    // The module's surefire argLine adds jdk.incubator.vector, as the service launchers do. Without it the merge
    // tests would run only the scalar path.
    assertThat(ChunkMixer.describeConversions()).startsWith("F16 and BF16 chunks mixed on the Vector API");
  }

  @ParameterizedTest
  @EnumSource(names = {"F16", "BF16"})
  void everyBitPatternMixesLikeTheScalarPath(DType dtype) {
    // Base and fine-tuned run through all 2^16 patterns, infinities, NaNs and subnormals included, in different orders.
    short[] base = new short[EVERY_PATTERN];
    short[] fineTuned = new short[EVERY_PATTERN];
    for (int bits = 0; bits < EVERY_PATTERN; bits++) {
      base[bits] = (short) bits;
      fineTuned[bits] = (short) (bits * 40_503 + 17);
    }

    for (double alpha : ALPHAS) {
      assertMixesLikeScalar(dtype, base, fineTuned, alpha);
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"F16", "BF16"})
  void midpointsOfNeighboursRoundToEven(DType dtype) {
    // At alpha 0.5 two neighbouring values mix to the float exactly between them, where only ties-to-even decides.
    short[] base = new short[EVERY_PATTERN - 1];
    short[] fineTuned = new short[EVERY_PATTERN - 1];
    for (int bits = 0; bits < EVERY_PATTERN - 1; bits++) {
      base[bits] = (short) bits;
      fineTuned[bits] = (short) (bits + 1);
    }

    assertMixesLikeScalar(dtype, base, fineTuned, 0.5);
  }

  @ParameterizedTest
  @EnumSource(names = {"F16", "BF16"})
  void weightLikeValuesMixLikeTheScalarPath(DType dtype) {
    // Normally distributed weights as in a trained encoder, with a rare infinity or NaN among them.
    Random random = new Random(11);
    int count = 1_000_003;
    short[] base = new short[count];
    short[] fineTuned = new short[count];
    for (int i = 0; i < count; i++) {
      base[i] = FloatChunkCodec.narrow(dtype, (float) (random.nextGaussian() * 0.05));
      fineTuned[i] = random.nextInt(10_000) == 0 ? (short) random.nextInt()
          : FloatChunkCodec.narrow(dtype, (float) (random.nextGaussian() * 0.5));
    }

    for (double alpha : new double[] {0.1, 0.37, 0.8}) {
      assertMixesLikeScalar(dtype, base, fineTuned, alpha);
    }
  }

  @Test
  void mixWritesOnlyCountElements() {
    short[] base = {0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700, 0x4800, 0x4880, 0x4900, 0x4980};
    short[] fineTuned = base.clone();
    ByteBuffer mixed = ByteBuffer.allocateDirect(base.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    VectorHalfCodec.mix(DType.F16, base, fineTuned, mixed, 9, 0.5f, 0.5f);

    assertThat(shorts(mixed)).containsExactly(0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600, 0x4700, 0x4800, 0x4880, 0, 0);
  }

  private static void assertMixesLikeScalar(DType dtype, short[] base, short[] fineTuned, double alpha) {
    float baseWeight = (float) (1.0 - alpha);
    float fineTunedWeight = (float) alpha;
    ByteBuffer mixedBytes = ByteBuffer.allocateDirect(base.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);

    VectorHalfCodec.mix(dtype, base, fineTuned, mixedBytes, base.length, baseWeight, fineTunedWeight);

    short[] mixed = shorts(mixedBytes);
    for (int i = 0; i < base.length; i++) {
      float exact = Math.fma(fineTunedWeight, widen(dtype, fineTuned[i]), baseWeight * widen(dtype, base[i]));
      short expected = dtype == DType.F16 ? Float16.toHalf(exact) : Float16.toBfloat16(exact);
      if (mixed[i] != expected) {
        assertThat(Integer.toHexString(mixed[i] & 0xffff))
            .as("%s element %d at alpha %s: base %04x, fine-tuned %04x", dtype, i, alpha, base[i] & 0xffff,
                fineTuned[i] & 0xffff)
            .isEqualTo(Integer.toHexString(expected & 0xffff));
      }
    }
  }

  private static short[] shorts(ByteBuffer buffer) {
    short[] elements = new short[buffer.capacity() / Short.BYTES];
    buffer.asShortBuffer().get(elements);
    return elements;
  }

  private static float widen(DType dtype, short bits) {
    return dtype == DType.F16 ? Float16.fromHalf(bits) : Float.intBitsToFloat(bits << 16);
  }
}
