package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

  private static final TensorSpec WEIGHT = new TensorSpec("weight", DType.F32, new long[] {2});
  private static final TensorSpec BIAS = new TensorSpec("bias", DType.F32, new long[] {1});

  @TempDir Path directory;

  @Test
  void writerMatchesReferenceLayout() throws IOException {
    // Expected bytes from the safetensors reference implementation's own serialisation test
    // (huggingface/safetensors, safetensors/src/tensor.rs, test_serialization_forced_alignement).
    Path file = directory.resolve("attn.safetensors");
    float[] values = {0, 1, 2, 3, 4, 5};
    String expectedHeader = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ";

    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("attn0", new long[] {1, 1, 2, 3}, values)), null);

    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buffer.getLong(0)).isEqualTo(72);
    assertThat(new String(bytes, 8, 72, StandardCharsets.UTF_8)).isEqualTo(expectedHeader);
    assertThat(bytes).hasSize(8 + 72 + 24);
    for (int i = 0; i < values.length; i++) {
      assertThat(buffer.getFloat(80 + 4 * i)).isEqualTo(values[i]);
    }
  }

  @Test
  void metadataOnlyMatchesReferenceLayout() throws IOException {
    // Same source, test_empty: metadata comes first and the header is padded to 40 bytes.
    Path file = directory.resolve("metadata.safetensors");

    SafetensorsWriter.write(file, List.of(), Map.of("framework", "pt"));

    byte[] bytes = Files.readAllBytes(file);
    assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0)).isEqualTo(40);
    assertThat(new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8))
        .isEqualTo("{\"__metadata__\":{\"framework\":\"pt\"}}     ");
  }

  @Test
  void finalPathAppearsOnlyAfterClose() {
    Path file = directory.resolve("model.safetensors");
    Path partial = directory.resolve("model.safetensors" + SafetensorsWriter.PARTIAL_SUFFIX);
    SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(WEIGHT), Map.of());

    writer.write("weight", floats(1, 2));

    assertThat(file).doesNotExist();
    assertThat(partial).exists();

    writer.close();

    assertThat(file).exists();
    assertThat(partial).doesNotExist();
  }

  @Test
  void outOfOrderWriteRejected() {
    try (SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve("m.safetensors"),
        List.of(WEIGHT, BIAS), Map.of())) {
      assertThatThrownBy(() -> writer.write("bias", floats(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Tensor 'bias'")
          .hasMessageContaining("out of order")
          .hasMessageContaining("expects 'weight' next");

      writer.abort();
    }
  }

  @Test
  void undeclaredTensorRejected() {
    try (SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve("m.safetensors"),
        List.of(WEIGHT), Map.of())) {
      assertThatThrownBy(() -> writer.write("head", floats(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Tensor 'head'")
          .hasMessageContaining("was not declared");

      writer.abort();
    }
  }

  @Test
  void wrongByteCountRejected() {
    try (SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve("m.safetensors"),
        List.of(WEIGHT), Map.of())) {
      assertThatThrownBy(() -> writer.write("weight", floats(1, 2, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Tensor 'weight'")
          .hasMessageContaining("needs 8 bytes")
          .hasMessageContaining("has 12");

      writer.abort();
    }
  }

  @Test
  void closeWithMissingTensorFailsAndLeavesNothing() {
    Path file = directory.resolve("incomplete.safetensors");
    SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(WEIGHT, BIAS), Map.of());
    writer.write("weight", floats(1, 2));

    assertThatThrownBy(writer::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tensor 'bias'")
        .hasMessageContaining("not written");

    assertThat(file).doesNotExist();
    assertThat(directory.resolve("incomplete.safetensors" + SafetensorsWriter.PARTIAL_SUFFIX)).doesNotExist();
  }

  @Test
  void abortKeepsExistingFinalFile() throws IOException {
    Path file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("weight", new long[] {2}, new float[] {7, 8})), null);
    byte[] before = Files.readAllBytes(file);
    SafetensorsWriter writer = SafetensorsWriter.create(file, List.of(WEIGHT), Map.of());

    writer.abort();

    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  @Test
  void chunkedWriteEqualsWholeWrite() throws IOException {
    Path whole = directory.resolve("whole.safetensors");
    Path chunked = directory.resolve("chunked.safetensors");
    TensorSpec spec = new TensorSpec("weight", DType.F32, new long[] {5});
    ByteBuffer data = floats(1, 2, 3, 4, 5);

    try (SafetensorsWriter writer = SafetensorsWriter.create(whole, List.of(spec), Map.of())) {
      writer.write("weight", data);
    }
    try (SafetensorsWriter writer = SafetensorsWriter.create(chunked, List.of(spec), Map.of())) {
      writer.writeChunk("weight", data.slice(0, 8));
      writer.writeChunk("weight", data.slice(8, 0));
      writer.writeChunk("weight", data.slice(8, 12));
    }

    assertThat(Files.readAllBytes(chunked)).isEqualTo(Files.readAllBytes(whole));
  }

  @Test
  void chunkPastTensorEndRejected() {
    try (SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve("m.safetensors"),
        List.of(WEIGHT), Map.of())) {
      writer.writeChunk("weight", floats(1));

      assertThatThrownBy(() -> writer.writeChunk("weight", floats(2, 3)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("tensor 'weight'")
          .hasMessageContaining("4 of 8 bytes left");

      writer.abort();
    }
  }

  @Test
  void duplicateTensorNamesRejected() {
    Path file = directory.resolve("duplicate.safetensors");

    assertThatThrownBy(() -> SafetensorsWriter.create(file, List.of(WEIGHT, WEIGHT), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'weight' is used twice");

    assertThat(directory.resolve("duplicate.safetensors" + SafetensorsWriter.PARTIAL_SUFFIX)).doesNotExist();
  }

  @Test
  void writeLeavesCallerBufferPosition() {
    ByteBuffer data = floats(1, 2);
    try (SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve("m.safetensors"),
        List.of(WEIGHT), Map.of())) {
      writer.write("weight", data);
    }

    assertThat(data.position()).isZero();
    assertThat(data.remaining()).isEqualTo(8);
  }

  private static ByteBuffer floats(float... values) {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return buffer;
  }
}
