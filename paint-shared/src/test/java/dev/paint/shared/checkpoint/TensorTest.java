package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void floatsRoundTripInEveryFloatingDtype() {
    float[] values = {1, -2.5f, 0.125f, 0};

    for (DType dtype : new DType[] {DType.F32, DType.F64, DType.F16, DType.BF16}) {
      Tensor tensor = Tensor.ofFloats("w", dtype, new long[] {2, 2}, values);

      assertThat(tensor.toFloats()).as("dtype %s", dtype).containsExactly(values);
      assertThat(tensor.data().remaining()).isEqualTo(4 * dtype.byteSize());
    }
  }

  @Test
  void integerDtypesReadAsLongs() {
    Tensor i32 = Tensor.ofBytes("i32", DType.I32, new long[] {2}, new byte[] {-1, -1, -1, -1, 2, 0, 0, 0});
    Tensor u8 = Tensor.ofBytes("u8", DType.U8, new long[] {2}, new byte[] {(byte) 200, 7});
    Tensor i16 = Tensor.ofBytes("i16", DType.I16, new long[] {1}, new byte[] {0, (byte) 0x80});

    assertThat(i32.toLongs()).containsExactly(-1, 2);
    assertThat(u8.toLongs()).containsExactly(200, 7);
    assertThat(i16.toLongs()).containsExactly(-32768);
  }

  @Test
  void toFloatsRejectsIntegerTensor() {
    Tensor steps = Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {5});

    assertThatThrownBy(steps::toFloats)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'bn.num_batches_tracked'")
        .hasMessageContaining("I64");
  }

  @Test
  void toLongsRejectsFloatTensor() {
    Tensor weight = Tensor.ofFloats("w", new long[] {1}, new float[] {1});

    assertThatThrownBy(weight::toLongs)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'w'")
        .hasMessageContaining("F32");
  }

  @Test
  void valueCountMustMatchShape() {
    assertThatThrownBy(() -> Tensor.ofFloats("w", new long[] {2, 2}, new float[] {1, 2, 3}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'w'")
        .hasMessageContaining("[2, 2] with 4 elements but 3 values");
    assertThatThrownBy(() -> Tensor.ofBytes("b", DType.F16, new long[] {3}, new byte[4]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b' has 4 bytes of data but its dtype F16 and shape [3] need 6 bytes");
  }

  @Test
  void specComparesShapeByContent() {
    TensorSpec first = new TensorSpec("w", DType.F32, new long[] {2, 3});
    TensorSpec second = new TensorSpec("w", DType.F32, new long[] {2, 3});
    TensorSpec other = new TensorSpec("w", DType.F32, new long[] {3, 2});

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotEqualTo(other);
    assertThat(first.elementCount()).isEqualTo(6);
    assertThat(first.byteSize()).isEqualTo(24);
    assertThat(first.toString()).isEqualTo("w F32 [2, 3]");
  }

  @Test
  void specCopiesShape() {
    long[] shape = {2, 3};
    TensorSpec spec = new TensorSpec("w", DType.F32, shape);

    shape[0] = 7;
    spec.shape()[1] = 9;

    assertThat(spec.shape()).containsExactly(2, 3);
  }

  @Test
  void unknownDtypeNameRejected() {
    assertThatThrownBy(() -> DType.fromSafetensorsName("F8_E5M2"))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("'F8_E5M2'")
        .hasMessageContaining("BF16");
    assertThat(DType.fromSafetensorsName("BF16")).isEqualTo(DType.BF16);
  }
}
