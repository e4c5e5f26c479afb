package dev.paint.shared.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's spec and its data, little-endian, exactly {@link TensorSpec#byteSize()} bytes.
 *
 * <p>The data buffer may be a memory-mapped slice of a checkpoint file or a heap buffer. {@link #data()}
 * returns a read-only view positioned at the first byte, so callers cannot move or change the tensor.
 */
public record Tensor(TensorSpec spec, ByteBuffer data) {

  /** Largest element count that fits in a Java array, the limit of {@link #toFloats()} and {@link #toLongs()}. */
  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  public Tensor {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(data, "data");
    if (data.remaining() != spec.byteSize()) {
      throw new IllegalArgumentException("Tensor '" + spec.name() + "' has " + data.remaining()
          + " bytes of data but its dtype " + spec.dtype() + " and shape " + shapeText(spec)
          + " need " + spec.byteSize() + " bytes.");
    }
    data = data.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  @Override
  public ByteBuffer data() {
    return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Creates an F32 tensor holding a copy of {@code values}. */
  public static Tensor ofFloats(String name, long[] shape, float[] values) {
    return ofFloats(name, DType.F32, shape, values);
  }

  /**
   * Creates a floating-point tensor of the given dtype from {@code values}, rounding each value to nearest
   * even when the dtype is narrower than F32.
   */
  public static Tensor ofFloats(String name, DType dtype, long[] shape, float[] values) {
    TensorSpec spec = new TensorSpec(name, dtype, shape);
    if (!dtype.isFloatingPoint()) {
      throw new IllegalArgumentException("Tensor '" + name + "' cannot hold floats in dtype " + dtype
          + "; use ofLongs() or ofBytes() for integer and BOOL tensors.");
    }
    requireElementCount(spec, values.length);

    ByteBuffer data = allocate(spec);
    switch (dtype) {
      case F32 -> data.asFloatBuffer().put(values);
      case F64 -> {
        DoubleBuffer doubles = data.asDoubleBuffer();
        for (float value : values) {
          doubles.put(value);
        }
      }
      case F16 -> {
        ShortBuffer halves = data.asShortBuffer();
        for (float value : values) {
          halves.put(Float16.toHalf(value));
        }
      }
      case BF16 -> {
        ShortBuffer halves = data.asShortBuffer();
        for (float value : values) {
          halves.put(Float16.toBfloat16(value));
        }
      }
      default -> throw new IllegalStateException("Unhandled floating-point dtype " + dtype);
    }
    return new Tensor(spec, data);
  }

  /** Creates an I64 tensor holding a copy of {@code values}. */
  public static Tensor ofLongs(String name, long[] shape, long[] values) {
    TensorSpec spec = new TensorSpec(name, DType.I64, shape);
    requireElementCount(spec, values.length);

    ByteBuffer data = allocate(spec);
    data.asLongBuffer().put(values);
    return new Tensor(spec, data);
  }

  /** Creates a tensor over little-endian {@code raw} bytes of any dtype, without copying them. */
  public static Tensor ofBytes(String name, DType dtype, long[] shape, byte[] raw) {
    return new Tensor(new TensorSpec(name, dtype, shape), ByteBuffer.wrap(raw));
  }

  /**
   * Returns the elements widened (F16, BF16) or narrowed (F64, to nearest) to float.
   *
   * @throws IllegalStateException when the dtype is not floating-point or the tensor does not fit in an array
   */
  public float[] toFloats() {
    requireFloatingPoint(spec);
    float[] values = new float[arrayLength()];
    ByteBuffer bytes = data();

    switch (spec.dtype()) {
      case F32 -> bytes.asFloatBuffer().get(values);
      case F64 -> {
        DoubleBuffer doubles = bytes.asDoubleBuffer();
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) doubles.get(i);
        }
      }
      case F16 -> {
        ShortBuffer halves = bytes.asShortBuffer();
        for (int i = 0; i < values.length; i++) {
          values[i] = Float16.fromHalf(halves.get(i));
        }
      }
      case BF16 -> {
        ShortBuffer halves = bytes.asShortBuffer();
        for (int i = 0; i < values.length; i++) {
          values[i] = Float16.fromBfloat16(halves.get(i));
        }
      }
      default -> throw new IllegalStateException("Unhandled floating-point dtype " + spec.dtype());
    }
    return values;
  }

  /**
   * Returns the elements of an integer or BOOL tensor as longs. U8 values are read unsigned and BOOL as 0 or 1.
   *
   * @throws IllegalStateException when the dtype is floating-point or the tensor does not fit in an array
   */
  public long[] toLongs() {
    if (spec.dtype().isFloatingPoint()) {
      throw new IllegalStateException("Tensor '" + spec.name() + "' has floating-point dtype " + spec.dtype()
          + "; read it with toFloats() instead of toLongs().");
    }
    long[] values = new long[arrayLength()];
    ByteBuffer bytes = data();

    for (int i = 0; i < values.length; i++) {
      values[i] = switch (spec.dtype()) {
        case I64 -> bytes.getLong(i * 8);
        case I32 -> bytes.getInt(i * 4);
        case I16 -> bytes.getShort(i * 2);
        case I8 -> bytes.get(i);
        case U8 -> bytes.get(i) & 0xff;
        case BOOL -> bytes.get(i) != 0 ? 1 : 0;
        default -> throw new IllegalStateException("Unhandled integer dtype " + spec.dtype());
      };
    }
    return values;
  }

  private int arrayLength() {
    long count = spec.elementCount();
    if (count > MAX_ARRAY_LENGTH) {
      throw new IllegalStateException("Tensor '" + spec.name() + "' has " + count
          + " elements, more than a Java array holds; read it in slices through data().");
    }
    return (int) count;
  }

  private static void requireFloatingPoint(TensorSpec spec) {
    if (!spec.dtype().isFloatingPoint()) {
      throw new IllegalStateException("Tensor '" + spec.name() + "' has dtype " + spec.dtype()
          + ", which is not floating-point; read it with toLongs() or create it with ofLongs()/ofBytes().");
    }
  }

  private static void requireElementCount(TensorSpec spec, int length) {
    if (spec.elementCount() != length) {
      throw new IllegalArgumentException("Tensor '" + spec.name() + "' has shape " + shapeText(spec)
          + " with " + spec.elementCount() + " elements but " + length + " values were given.");
    }
  }

  private static ByteBuffer allocate(TensorSpec spec) {
    return ByteBuffer.allocate(Math.toIntExact(spec.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String shapeText(TensorSpec spec) {
    return Arrays.toString(spec.shape());
  }
}
