package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

  @TempDir Path directory;

  @Test
  void roundTripPreservesTensorsAndMetadata() {
    Path file = directory.resolve("model.safetensors");
    List<Tensor> tensors = List.of(
        Tensor.ofFloats("encoder.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0.0f, 1e-30f}),
        Tensor.ofFloats("encoder.bias", DType.F16, new long[] {3}, new float[] {0.5f, -1, 65504}),
        Tensor.ofFloats("head.weight", DType.BF16, new long[] {2, 2}, new float[] {1, 2, 3, 4}),
        Tensor.ofFloats("head.scale", DType.F64, new long[] {}, new float[] {0.25f}),
        Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {12345678901L}),
        Tensor.ofBytes("mask", DType.BOOL, new long[] {3}, new byte[] {1, 0, 1}),
        Tensor.ofBytes("empty", DType.F32, new long[] {0, 4}, new byte[0]));
    Map<String, String> metadata = Map.of("format", "pt", "paint.model", "vit-tiny");

    SafetensorsWriter.write(file, tensors, metadata);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThat(checkpoint.tensors()).containsExactlyElementsOf(tensors.stream().map(Tensor::spec).toList());
      assertThat(checkpoint.metadata()).isEqualTo(metadata);
      for (Tensor tensor : tensors) {
        assertThat(checkpoint.read(tensor.spec().name())).isEqualTo(tensor);
      }
      assertThat(checkpoint.read("encoder.weight").toFloats()).containsExactly(1, -2, 3.5f, 0, -0.0f, 1e-30f);
      assertThat(checkpoint.read("encoder.bias").toFloats()).containsExactly(0.5f, -1, 65504);
      assertThat(checkpoint.read("head.scale").toFloats()).containsExactly(0.25f);
      assertThat(checkpoint.read("bn.num_batches_tracked").toLongs()).containsExactly(12345678901L);
      assertThat(checkpoint.read("mask").toLongs()).containsExactly(1, 0, 1);
    }
  }

  @Test
  void dataIsReadOnlyLittleEndianView() {
    Path file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("w", new long[] {2}, new float[] {1.5f, -3})), Map.of());

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      var data = checkpoint.data("w");

      assertThat(data.isReadOnly()).isTrue();
      assertThat(data.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
      assertThat(data.remaining()).isEqualTo(8);
      assertThat(data.getFloat(4)).isEqualTo(-3f);
    }
  }

  @Test
  void readDataCopiesByteRange() {
    Path file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("w", new long[] {3}, new float[] {1.5f, -3, 7})), Map.of());
    ByteBuffer target = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      checkpoint.readData("w", 4, target);

      assertThat(target.getFloat(0)).isEqualTo(-3f);
      assertThat(target.getFloat(4)).isEqualTo(7f);
      assertThat(target.hasRemaining()).isFalse();
      assertThatThrownBy(() -> checkpoint.readData("w", 8, ByteBuffer.allocate(8)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Cannot read 8 bytes at offset 8 of tensor 'w'")
          .hasMessageContaining("which has 12 bytes");
      assertThatThrownBy(() -> checkpoint.readData("w", -1, ByteBuffer.allocate(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void fileOrderFollowsOffsetsNotHeaderOrder() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("reordered.safetensors"),
        "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        8);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThat(checkpoint.tensors()).extracting(TensorSpec::name).containsExactly("a", "b");
    }
  }

  @Test
  void missingTensorNamesAvailableOnes() {
    Path file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("encoder.weight", new long[] {1}, new float[] {1})), null);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> checkpoint.spec("head.weight"))
          .isInstanceOf(TensorNotFoundException.class)
          .hasMessageContaining("'head.weight'")
          .hasMessageContaining("'encoder.weight'")
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void dataAfterCloseRejected() {
    Path file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("w", new long[] {1}, new float[] {1})), null);
    SafetensorsFile checkpoint = SafetensorsFile.open(file);

    checkpoint.close();

    assertThatThrownBy(() -> checkpoint.data("w"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void truncatedFileRejected() throws IOException {
    Path file = Files.write(directory.resolve("short.safetensors"), new byte[] {1, 2, 3, 4, 5});

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("5 bytes");
  }

  @Test
  void headerLengthPastEndRejected() throws IOException {
    Path file = CheckpointFiles.withHeaderLength(directory.resolve("cut.safetensors"), 1000, "{}".getBytes());

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("header length 1000")
        .hasMessageContaining("truncated");
  }

  @Test
  void headerLengthOverLimitRejected() throws IOException {
    Path file = CheckpointFiles.withHeaderLength(directory.resolve("huge.safetensors"), -1L, "{}".getBytes());

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("18446744073709551615")
        .hasMessageContaining(String.valueOf(SafetensorsFile.DEFAULT_MAX_HEADER_BYTES));
  }

  @Test
  void headerNotJsonRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("garbage.safetensors"), "{\"a\": nonsense", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(file.toString());
  }

  @Test
  void headerInUtf32Rejected() throws IOException {
    // '{' followed by zero bytes is how UTF-32 encodes '{'; a parser that guesses the encoding would accept it.
    byte[] header = "{}".getBytes(Charset.forName("UTF-32LE"));
    Path file = CheckpointFiles.withHeaderLength(directory.resolve("utf32.safetensors"), header.length, header);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining(file.toString());
  }

  @Test
  void headerNotUtf8Rejected() throws IOException {
    byte[] header = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
    Path file = CheckpointFiles.withHeaderLength(directory.resolve("latin.safetensors"), header.length, header);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not valid UTF-8")
        .hasMessageContaining(file.toString());
  }

  @Test
  void headerNotObjectRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("array.safetensors"), "[1, 2]", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("does not start with '{'");
  }

  @Test
  void trailingJsonRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("trailing.safetensors"), "{} {}", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void duplicateTensorNameRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("duplicate.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
        8);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("Duplicate field 'w'");
  }

  @Test
  void emptyTensorNameRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("empty-name.safetensors"),
        "{\"\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("a tensor has an empty name");
  }

  @Test
  void overlappingOffsetsRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("overlap.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
        12);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'b' begins at data offset 4, overlapping tensor 'a', which ends at offset 8");
  }

  @Test
  void gapBetweenTensorsRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("gap.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
        12);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'b' begins at data offset 8, leaving a gap of 4 bytes after tensor 'a'");
  }

  @Test
  void gapBeforeFirstTensorRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("leading-gap.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'a' begins at data offset 4, leaving a gap of 4 bytes after the start");
  }

  @Test
  void bytesAfterLastTensorRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("tail.safetensors"),
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 10);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("the remaining 6 bytes belong to no tensor");
  }

  @Test
  void offsetsInconsistentWithShapeRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("short-tensor.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w'")
        .hasMessageContaining("spanning 12 bytes, but dtype F32 and shape [2, 2] need 16 bytes");
  }

  @Test
  void offsetsPastDataSectionRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("past-end.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' has data_offsets [0, 16] past the end of the data section");
  }

  @Test
  void reversedOffsetsRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("reversed.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' has data_offsets [4, 0] that end before they begin");
  }

  @Test
  void unknownDtypeRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("fp8.safetensors"),
        "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 4);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' has unsupported dtype 'F8_E4M3'")
        .hasMessageContaining("F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
  }

  @Test
  void negativeDimensionRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("negative.safetensors"),
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' has shape [-1] with element -1");
  }

  @Test
  void overflowingShapeRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("overflow.safetensors"),
        "{\"w\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,0]}}", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' has shape [4294967296, 4294967296] whose byte size overflows");
  }

  @Test
  void nonStringMetadataRejected() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("metadata.safetensors"),
        "{\"__metadata__\":{\"epochs\":3}}", 0);

    assertThatThrownBy(() -> SafetensorsFile.open(file))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("__metadata__ key 'epochs' has a NUMBER value");
  }

  @Test
  void requireFiniteNamesNaNTensorAndIndex() {
    Path file = directory.resolve("diverged.safetensors");
    SafetensorsWriter.write(file, List.of(
        Tensor.ofFloats("encoder.weight", new long[] {3}, new float[] {1, 2, 3}),
        Tensor.ofFloats("head.weight", new long[] {2, 2}, new float[] {1, 2, Float.NaN, 4})), null);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThatThrownBy(checkpoint::requireFinite)
          .isInstanceOf(CheckpointFormatException.class)
          .hasMessageContaining("tensor 'head.weight'")
          .hasMessageContaining("NaN at flat element index 2");
    }
  }

  @Test
  void requireFiniteDetectsInfinityInHalfTypes() {
    Path file = directory.resolve("overflowed.safetensors");
    SafetensorsWriter.write(file, List.of(
        Tensor.ofFloats("half", DType.F16, new long[] {3}, new float[] {1, 70000, 3}),
        Tensor.ofFloats("brain", DType.BF16, new long[] {2}, new float[] {1, Float.NEGATIVE_INFINITY}),
        Tensor.ofFloats("double", DType.F64, new long[] {2}, new float[] {Float.NaN, 1})), null);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThatThrownBy(() -> checkpoint.requireFinite("half"))
          .hasMessageContaining("tensor 'half'").hasMessageContaining("Infinity at flat element index 1");
      assertThatThrownBy(() -> checkpoint.requireFinite("brain"))
          .hasMessageContaining("tensor 'brain'").hasMessageContaining("-Infinity at flat element index 1");
      assertThatThrownBy(() -> checkpoint.requireFinite("double"))
          .hasMessageContaining("tensor 'double'").hasMessageContaining("NaN at flat element index 0");
    }
  }

  @Test
  void requireFinitePassesFiniteCheckpoint() {
    Path file = directory.resolve("finite.safetensors");
    SafetensorsWriter.write(file, List.of(
        Tensor.ofFloats("w", DType.F16, new long[] {2}, new float[] {65504, -65504}),
        Tensor.ofLongs("steps", new long[] {1}, new long[] {-1})), null);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      checkpoint.requireFinite();

      assertThat(checkpoint.read("w").toFloats()).containsExactly(65504, -65504);
    }
  }

  @Test
  void emptyHeaderObjectOpens() throws IOException {
    Path file = CheckpointFiles.raw(directory.resolve("empty.safetensors"), "{}      ", 0);

    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      assertThat(checkpoint.tensors()).isEmpty();
      assertThat(checkpoint.metadata()).isEmpty();
    }
  }
}
