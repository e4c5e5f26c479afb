package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChunkMixerTest {

  @ParameterizedTest
  @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
  void mixesEachAlphaFromOneLoad(DType dtype) {
    ChunkMixer mixer = new ChunkMixer(40);
    ByteBuffer base = chunk(dtype, 40, 1.0f);
    ByteBuffer fineTuned = chunk(dtype, 40, 3.0f);

    mixer.load(dtype, base, fineTuned, 37);
    ByteBuffer quarter = mixer.mix(0.25, ByteBuffer.allocateDirect(40 * Double.BYTES));
    ByteBuffer half = mixer.mix(0.5, ByteBuffer.allocateDirect(40 * Double.BYTES));

    assertThat(quarter.limit()).isEqualTo(37 * dtype.byteSize());
    assertThat(value(dtype, quarter, 0)).isEqualTo(1.5f);
    assertThat(value(dtype, quarter, 36)).isEqualTo(1.5f);
    assertThat(value(dtype, half, 36)).isEqualTo(2.0f);
  }

  @Test
  void rejectsBigEndianChunks() {
    ChunkMixer mixer = new ChunkMixer(8);
    ByteBuffer littleEndian = chunk(DType.F16, 8, 1.0f);
    ByteBuffer bigEndian = ByteBuffer.allocateDirect(16);

    assertThatThrownBy(() -> mixer.load(DType.F16, littleEndian, bigEndian, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fine-tuned BIG_ENDIAN")
        .hasMessageContaining("order(ByteOrder.LITTLE_ENDIAN)");
  }

  @Test
  void rejectsChunksLargerThanItsScratchSpace() {
    ChunkMixer mixer = new ChunkMixer(8);
    ByteBuffer chunk = chunk(DType.F32, 9, 1.0f);

    assertThatThrownBy(() -> mixer.load(DType.F32, chunk, chunk, 9))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Chunk of 9 elements is outside [0, 8]");
  }

  @Test
  void rejectsIntegerDtypes() {
    ChunkMixer mixer = new ChunkMixer(8);
    ByteBuffer chunk = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);

    assertThatThrownBy(() -> mixer.load(DType.I64, chunk, chunk, 8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Dtype I64 is not mixed");
  }

  @Test
  void rejectsMixBeforeLoad() {
    ChunkMixer mixer = new ChunkMixer(8);

    assertThatThrownBy(() -> mixer.mix(0.5, ByteBuffer.allocateDirect(64)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call load() before mix()");
  }

  /** Returns a direct little-endian chunk of {@code count} elements that all equal {@code value}. */
  private static ByteBuffer chunk(DType dtype, int count, float value) {
    ByteBuffer chunk = ByteBuffer.allocateDirect(count * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (dtype) {
        case F32 -> chunk.putFloat(value);
        case F16 -> chunk.putShort(Float16.toHalf(value));
        default -> chunk.putShort(Float16.toBfloat16(value));
      }
    }
    return chunk.flip();
  }

  private static float value(DType dtype, ByteBuffer chunk, int index) {
    return switch (dtype) {
      case F32 -> chunk.getFloat(index * Float.BYTES);
      case F16 -> Float16.fromHalf(chunk.getShort(index * Short.BYTES));
      default -> Float.intBitsToFloat(chunk.getShort(index * Short.BYTES) << 16);
    };
  }
}
