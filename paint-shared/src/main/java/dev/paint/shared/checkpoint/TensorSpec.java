package dev.paint.shared.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name, element type and shape of one tensor in a checkpoint.
 *
 * <p>The shape is copied on the way in and out, so a spec never changes after construction. A scalar has
 * the empty shape and one element.
 */
public record TensorSpec(String name, DType dtype, long[] shape) {

  public TensorSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    Objects.requireNonNull(shape, "shape");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("Tensor name is empty; give every tensor a non-empty name.");
    }
    for (long dimension : shape) {
      if (dimension < 0) {
        throw new IllegalArgumentException("Tensor '" + name + "' has negative dimension " + dimension
            + " in shape " + Arrays.toString(shape) + "; dimensions must be zero or more.");
      }
    }
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * Returns the number of elements, the product of the dimensions.
   *
   * @throws ArithmeticException when the product does not fit in a long
   */
  public long elementCount() {
    long count = 1;
    for (long dimension : shape) {
      count = Math.multiplyExact(count, dimension);
    }
    return count;
  }

  /**
   * Returns the number of bytes that the tensor's data occupies.
   *
   * @throws ArithmeticException when the size does not fit in a long
   */
  public long byteSize() {
    return Math.multiplyExact(elementCount(), dtype.byteSize());
  }

  /** Returns whether both specs have the same dtype and shape, whatever their names. */
  public boolean sameLayout(TensorSpec other) {
    return dtype == other.dtype && Arrays.equals(shape, other.shape);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec spec
        && name.equals(spec.name)
        && dtype == spec.dtype
        && Arrays.equals(shape, spec.shape);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return name + " " + dtype + " " + Arrays.toString(shape);
  }
}
