package dev.paint.shared.checkpoint;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Element type of a tensor, named as the safetensors format names it.
 *
 * <p>All multi-byte types are stored little-endian.
 */
public enum DType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int byteSize;
  private final boolean floatingPoint;

  DType(int byteSize, boolean floatingPoint) {
    this.byteSize = byteSize;
    this.floatingPoint = floatingPoint;
  }

  /** Returns the size of one element in bytes. */
  public int byteSize() {
    return byteSize;
  }

  /** Returns whether the type is F64, F32, F16 or BF16, the types that weight interpolation mixes. */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** Returns the name that a safetensors header uses for this type, such as {@code "BF16"}. */
  public String safetensorsName() {
    return name();
  }

  /**
   * Returns the type that a safetensors header names.
   *
   * @throws CheckpointFormatException when the name is not one of the supported types
   */
  public static DType fromSafetensorsName(String name) {
    for (DType type : values()) {
      if (type.safetensorsName().equals(name)) {
        return type;
      }
    }
    throw new CheckpointFormatException("Unsupported safetensors dtype '" + name + "'; supported dtypes are "
        + supportedNames() + ". Convert the tensor to one of them before exporting the checkpoint.");
  }

  static String supportedNames() {
    return Arrays.stream(values()).map(DType::safetensorsName).collect(Collectors.joining(", "));
  }
}
