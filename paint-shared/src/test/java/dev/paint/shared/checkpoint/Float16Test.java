package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {

  @Test
  void halfKnownValuesConvertBothWays() {
    float[] values = {1.0f, -2.0f, 65504f, 0x1p-24f, 0x1p-14f, 0.0f, -0.0f, 0.5f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY};
    int[] bits = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x0000, 0x8000, 0x3800, 0x7c00, 0xfc00};

    for (int i = 0; i < values.length; i++) {
      assertThat(Float16.toHalf(values[i]) & 0xffff).as("toHalf(%s)", values[i]).isEqualTo(bits[i]);
      assertThat(Float.floatToRawIntBits(Float16.fromHalf((short) bits[i])))
          .as("fromHalf(0x%04x)", bits[i])
          .isEqualTo(Float.floatToRawIntBits(values[i]));
    }
  }

  @Test
  void halfNaNStaysNaN() {
    float nanWithLowPayloadOnly = Float.intBitsToFloat(0x7f80_0001);

    short fromCanonicalNaN = Float16.toHalf(Float.NaN);
    short fromLowPayloadNaN = Float16.toHalf(nanWithLowPayloadOnly);

    assertThat(Float.isNaN(Float16.fromHalf(fromCanonicalNaN))).isTrue();
    assertThat(Float.isNaN(Float16.fromHalf(fromLowPayloadNaN))).isTrue();
    assertThat(Float.isNaN(Float16.fromHalf((short) 0x7e00))).isTrue();
    assertThat(Float.isNaN(Float16.fromHalf((short) 0xfd01))).isTrue();
  }

  @Test
  void halfRoundsTiesToEven() {
    // 1 + 2^-11 lies halfway between 1 (even mantissa) and 1 + 2^-10 (odd mantissa).
    assertThat(Float16.toHalf(1 + 0x1p-11f) & 0xffff).isEqualTo(0x3c00);
    // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
    assertThat(Float16.toHalf(1 + 3 * 0x1p-11f) & 0xffff).isEqualTo(0x3c02);
    assertThat(Float16.toHalf(Math.nextUp(1 + 0x1p-11f)) & 0xffff).isEqualTo(0x3c01);
    assertThat(Float16.toHalf(Math.nextDown(1 + 3 * 0x1p-11f)) & 0xffff).isEqualTo(0x3c01);
    assertThat(Float16.toHalf(-(1 + 3 * 0x1p-11f)) & 0xffff).isEqualTo(0xbc02);
  }

  @Test
  void halfOverflowRoundsToInfinity() {
    assertThat(Float16.toHalf(65520f) & 0xffff).isEqualTo(0x7c00);
    assertThat(Float16.toHalf(Math.nextDown(65520f)) & 0xffff).isEqualTo(0x7bff);
    assertThat(Float16.toHalf(1e10f) & 0xffff).isEqualTo(0x7c00);
    assertThat(Float16.toHalf(-1e10f) & 0xffff).isEqualTo(0xfc00);
    assertThat(Float16.toHalf(Float.MAX_VALUE) & 0xffff).isEqualTo(0x7c00);
  }

  @Test
  void halfSubnormalsRoundToNearestEven() {
    assertThat(Float16.toHalf(0x1p-25f) & 0xffff).as("half of the smallest subnormal, a tie").isEqualTo(0x0000);
    assertThat(Float16.toHalf(Math.nextUp(0x1p-25f)) & 0xffff).isEqualTo(0x0001);
    assertThat(Float16.toHalf(3 * 0x1p-25f) & 0xffff).as("1.5 units, a tie").isEqualTo(0x0002);
    assertThat(Float16.toHalf(5 * 0x1p-25f) & 0xffff).as("2.5 units, a tie").isEqualTo(0x0002);
    assertThat(Float16.toHalf(1023 * 0x1p-24f) & 0xffff).isEqualTo(0x03ff);
    assertThat(Float16.toHalf(Math.nextDown(0x1p-14f)) & 0xffff).as("rounds up into the normals").isEqualTo(0x0400);
    assertThat(Float16.toHalf(Float.MIN_VALUE) & 0xffff).isEqualTo(0x0000);
    assertThat(Float16.toHalf(-0x1p-26f) & 0xffff).isEqualTo(0x8000);
  }

  @Test
  void halfRoundTripsEveryBitPattern() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short half = (short) bits;

      short roundTripped = Float16.toHalf(Float16.fromHalf(half));

      assertThat(roundTripped & 0xffff).as("bits 0x%04x", bits).isEqualTo(bits);
    }
  }

  @Test
  void halfPicksNearestNeighbour() {
    Random random = new Random(20221128);
    for (int i = 0; i < 200_000; i++) {
      float value = (float) ((random.nextDouble() * 2 - 1) * Math.scalb(1.0, random.nextInt(40) - 25));
      if (Math.abs(value) >= 65520f) {
        continue;
      }

      short half = Float16.toHalf(value);

      double chosen = Float16.fromHalf(half);
      double error = Math.abs(chosen - value);
      for (int neighbour : new int[] {half - 1, half + 1}) {
        double other = Float16.fromHalf((short) neighbour);
        if (Double.isNaN(other) || Double.isInfinite(other) || Math.signum(other) * Math.signum(chosen) < 0) {
          continue;
        }
        double otherError = Math.abs(other - value);
        assertThat(error).as("value %s chose 0x%04x over 0x%04x", value, half & 0xffff, neighbour & 0xffff)
            .isLessThanOrEqualTo(otherError);
        if (error == otherError) {
          assertThat(half & 1).as("tie at %s must pick the even mantissa", value).isZero();
        }
      }
    }
  }

  @Test
  void bfloat16KnownValuesConvertBothWays() {
    float[] values = {1.0f, -2.0f, 0x1p-133f, 0.0f, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        0x1.fep127f};
    int[] bits = {0x3f80, 0xc000, 0x0001, 0x0000, 0x8000, 0x7f80, 0xff80, 0x7f7f};

    for (int i = 0; i < values.length; i++) {
      assertThat(Float16.toBfloat16(values[i]) & 0xffff).as("toBfloat16(%s)", values[i]).isEqualTo(bits[i]);
      assertThat(Float.floatToRawIntBits(Float16.fromBfloat16((short) bits[i])))
          .as("fromBfloat16(0x%04x)", bits[i])
          .isEqualTo(Float.floatToRawIntBits(values[i]));
    }
  }

  @Test
  void bfloat16RoundsTiesToEvenAndOverflows() {
    assertThat(Float16.toBfloat16(1 + 0x1p-8f) & 0xffff).isEqualTo(0x3f80);
    assertThat(Float16.toBfloat16(1 + 3 * 0x1p-8f) & 0xffff).isEqualTo(0x3f82);
    assertThat(Float16.toBfloat16(Math.nextUp(1 + 0x1p-8f)) & 0xffff).isEqualTo(0x3f81);
    assertThat(Float16.toBfloat16(Float.MAX_VALUE) & 0xffff).isEqualTo(0x7f80);
    assertThat(Float16.toBfloat16(-Float.MAX_VALUE) & 0xffff).isEqualTo(0xff80);
  }

  @Test
  void bfloat16NaNStaysNaN() {
    float nanWithLowPayloadOnly = Float.intBitsToFloat(0xff80_0001);

    short fromCanonicalNaN = Float16.toBfloat16(Float.NaN);
    short fromLowPayloadNaN = Float16.toBfloat16(nanWithLowPayloadOnly);

    assertThat(Float.isNaN(Float16.fromBfloat16(fromCanonicalNaN))).isTrue();
    assertThat(Float.isNaN(Float16.fromBfloat16(fromLowPayloadNaN))).isTrue();
  }

  @Test
  void bfloat16RoundTripsEveryBitPattern() {
    for (int bits = 0; bits <= 0xffff; bits++) {
      short bfloat = (short) bits;

      short roundTripped = Float16.toBfloat16(Float16.fromBfloat16(bfloat));

      assertThat(roundTripped & 0xffff).as("bits 0x%04x", bits).isEqualTo(bits);
    }
  }
}
