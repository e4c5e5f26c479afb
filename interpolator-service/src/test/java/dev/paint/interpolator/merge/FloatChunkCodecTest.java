package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatChunkCodecTest {

  @Test
  void halfEncodingMatchesFloat16AroundEveryHalf() {
    // Every half, its neighbours in float, and the midpoints to the next half: where rounding decides.
    for (int bits = 0; bits < 1 << 16; bits++) {
      float value = Float16.fromHalf((short) bits);
      float next = Float16.fromHalf((short) (bits + 1));
      float midpoint = (value + next) / 2;
      for (float probe : new float[] {value, Math.nextUp(value), Math.nextDown(value), midpoint,
          Math.nextUp(midpoint), Math.nextDown(midpoint)}) {
        assertThat(FloatChunkCodec.toHalf(probe)).as("float %s (bits %08x)", probe, Float.floatToRawIntBits(probe))
            .isEqualTo(Float16.toHalf(probe));
      }
    }
  }

  @Test
  void halfEncodingMatchesFloat16OnRandomBits() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000_000; i++) {
      float value = Float.intBitsToFloat(random.nextInt());
      assertThat(FloatChunkCodec.toHalf(value)).as("bits %08x", Float.floatToRawIntBits(value))
          .isEqualTo(Float16.toHalf(value));
    }
  }

  @Test
  void everyHalfAndBfloat16RoundTrips() {
    int count = 1 << 16;
    for (DType dtype : new DType[] {DType.F16, DType.BF16}) {
      ByteBuffer source = ByteBuffer.allocate(2 * count).order(ByteOrder.LITTLE_ENDIAN);
      for (int bits = 0; bits < count; bits++) {
        source.putShort(2 * bits, (short) bits);
      }
      float[] floats = new float[count];
      short[] scratch = new short[count];
      ByteBuffer encoded = ByteBuffer.allocateDirect(2 * count).order(ByteOrder.LITTLE_ENDIAN);

      FloatChunkCodec.decode(dtype, source, floats, scratch, count);
      FloatChunkCodec.encode(dtype, floats, scratch, count, encoded);

      for (int bits = 0; bits < count; bits++) {
        assertThat(encoded.getShort(2 * bits)).as("%s bits %04x", dtype, bits).isEqualTo((short) bits);
      }
    }
  }
}
