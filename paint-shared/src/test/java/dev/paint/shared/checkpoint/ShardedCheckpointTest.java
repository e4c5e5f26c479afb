package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointTest {

  private static final String FIRST = "model-00001-of-00002.safetensors";
  private static final String SECOND = "model-00002-of-00002.safetensors";

  @TempDir Path directory;

  @Test
  void writtenShardsReadBack() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));

    try (Checkpoint checkpoint = Checkpoints.open(index)) {
      assertThat(checkpoint).isInstanceOf(ShardedCheckpoint.class);
      assertThat(checkpoint.tensors()).extracting(TensorSpec::name).containsExactly("a", "b", "ids");
      assertThat(checkpoint.shards()).extracting(CheckpointShard::fileName).containsExactly(FIRST, SECOND);
      assertThat(checkpoint.metadata()).containsEntry("format", "pt");
      assertThat(readFloats(checkpoint, "b", 4, 2)).containsExactly(20, 30);
      assertThat(checkpoint.spec("ids").dtype()).isEqualTo(DType.I64);
    }
    String json = Files.readString(index);
    assertThat(json).contains("\"total_size\" : 32").contains("\"a\" : \"" + FIRST + "\"")
        .contains("\"ids\" : \"" + SECOND + "\"");
  }

  @Test
  void singleFileReshardedByLayer() {
    Path single = directory.resolve("encoder.safetensors");
    SafetensorsWriter.write(single, List.of(
        Tensor.ofFloats("conv1.weight", new long[] {2, 2}, new float[] {1, 2, 3, 4}),
        Tensor.ofFloats("conv1.bias", new long[] {2}, new float[] {5, 6}),
        Tensor.ofFloats("fc.weight", new long[] {3}, new float[] {7, 8, 9})), Map.of("format", "pt"));
    Path index = directory.resolve("sharded").resolve("encoder.safetensors.index.json");

    try (Checkpoint source = Checkpoints.open(single)) {
      Checkpoints.rewrite(single, index, CheckpointShard.byLayer(index.getFileName().toString(), source.tensors()));
    }

    try (Checkpoint sharded = Checkpoints.open(index)) {
      assertThat(sharded.shards()).extracting(CheckpointShard::fileName)
          .containsExactly("encoder-00001-of-00002.safetensors", "encoder-00002-of-00002.safetensors");
      assertThat(sharded.shards().get(0).tensors()).extracting(TensorSpec::name)
          .containsExactly("conv1.weight", "conv1.bias");
      assertThat(sharded.metadata()).containsEntry("format", "pt");
      assertThat(readFloats(sharded, "conv1.bias", 0, 2)).containsExactly(5, 6);
      assertThat(readFloats(sharded, "fc.weight", 0, 3)).containsExactly(7, 8, 9);
    }
  }

  @Test
  void layerLayoutNeedsIndexName() {
    List<TensorSpec> tensors = List.of(new TensorSpec("fc.weight", DType.F32, new long[] {1}));

    assertThatThrownBy(() -> CheckpointShard.byLayer("encoder.safetensors", tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoder.safetensors")
        .hasMessageContaining(Checkpoints.INDEX_SUFFIX);
  }

  @Test
  void rewriteRejectsLayoutWithOtherTensors() {
    Path single = directory.resolve("encoder.safetensors");
    SafetensorsWriter.write(single, List.of(Tensor.ofFloats("fc.weight", new long[] {1}, new float[] {1})), Map.of());
    List<CheckpointShard> layout = List.of(new CheckpointShard("encoder-00001-of-00001.safetensors",
        List.of(new TensorSpec("fc.bias", DType.F32, new long[] {1}))));

    assertThatThrownBy(() -> Checkpoints.rewrite(single, directory.resolve("encoder.safetensors.index.json"), layout))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[fc.bias]")
        .hasMessageContaining("[fc.weight]");
  }

  @Test
  void huggingFaceIndexRead() throws IOException {
    SafetensorsWriter.write(directory.resolve(FIRST), List.of(floats("w", 1, 2)), Map.of());
    SafetensorsWriter.write(directory.resolve(SECOND), List.of(floats("v", 3)), Map.of());
    Path index = Files.writeString(directory.resolve("model.safetensors.index.json"),
        "{\"metadata\": {\"total_size\": 12}, \"weight_map\": {\"v\": \"" + SECOND + "\", \"w\": \"" + FIRST + "\"}}");

    try (Checkpoint checkpoint = Checkpoints.open(index)) {
      assertThat(checkpoint.tensors()).extracting(TensorSpec::name).containsExactly("w", "v");
      assertThat(readFloats(checkpoint, "v", 0, 1)).containsExactly(3);
    }
  }

  @Test
  void missingShardRejected() throws IOException {
    SafetensorsWriter.write(directory.resolve(FIRST), List.of(floats("w", 1)), Map.of());
    Path index = index("{\"w\": \"" + FIRST + "\", \"v\": \"" + SECOND + "\"}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("names shard " + SECOND + ", which does not exist");
  }

  @Test
  void tensorMissingFromIndexRejected() throws IOException {
    SafetensorsWriter.write(directory.resolve(FIRST), List.of(floats("w", 1), floats("extra", 2)), Map.of());
    Path index = index("{\"w\": \"" + FIRST + "\"}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'extra' is in shard " + FIRST + " but the index does not list it");
  }

  @Test
  void tensorInTwoShardsRejected() throws IOException {
    SafetensorsWriter.write(directory.resolve(FIRST), List.of(floats("w", 1)), Map.of());
    SafetensorsWriter.write(directory.resolve(SECOND), List.of(floats("w", 2), floats("v", 3)), Map.of());
    Path index = index("{\"w\": \"" + FIRST + "\", \"v\": \"" + SECOND + "\"}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("tensor 'w' is in two shards");
  }

  @Test
  void tensorIndexedInWrongShardRejected() throws IOException {
    SafetensorsWriter.write(directory.resolve(FIRST), List.of(floats("w", 1)), Map.of());
    SafetensorsWriter.write(directory.resolve(SECOND), List.of(floats("v", 3)), Map.of());
    Path index = index("{\"w\": \"" + SECOND + "\", \"v\": \"" + SECOND + "\"}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("places tensor 'w' in shard " + SECOND + ", which has no such tensor");
  }

  @Test
  void shardOutsideDirectoryRejected() throws IOException {
    Path index = index("{\"w\": \"../elsewhere.safetensors\"}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("not a plain file name");
  }

  @Test
  void indexWithoutWeightMapRejected() throws IOException {
    Path index = Files.writeString(directory.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");

    assertThatThrownBy(() -> ShardedCheckpoint.open(index))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("no \"weight_map\"");
  }

  @Test
  void abortedWriterLeavesNoShards() throws IOException {
    Path index = directory.resolve("model.safetensors.index.json");
    ShardedCheckpointWriter writer = ShardedCheckpointWriter.create(index, layout(), Map.of());
    writer.write("a", floats("a", 1).data());

    writer.abort();

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void incompleteWriterDeletesCompletedShards() throws IOException {
    Path index = directory.resolve("model.safetensors.index.json");
    ShardedCheckpointWriter writer = ShardedCheckpointWriter.create(index, layout(), Map.of());
    writer.write("a", floats("a", 1).data());
    writer.write("b", floats("b", 10, 20, 30).data());

    assertThatThrownBy(writer::close).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("tensor 'ids'");

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
  }

  private Path writeTwoShards(Path index) {
    try (ShardedCheckpointWriter writer = ShardedCheckpointWriter.create(index, layout(), Map.of("format", "pt"))) {
      writer.write("a", floats("a", 1).data());
      writer.write("b", floats("b", 10, 20, 30).data());
      writer.write("ids", Tensor.ofLongs("ids", new long[] {2}, new long[] {0, 1}).data());
    }
    return index;
  }

  private static List<CheckpointShard> layout() {
    return List.of(
        new CheckpointShard(FIRST, List.of(floats("a", 1).spec(), floats("b", 10, 20, 30).spec())),
        new CheckpointShard(SECOND, List.of(new TensorSpec("ids", DType.I64, new long[] {2}))));
  }

  private Path index(String weightMap) throws IOException {
    return Files.writeString(directory.resolve("model.safetensors.index.json"),
        "{\"metadata\": {\"total_size\": 4}, \"weight_map\": " + weightMap + "}");
  }

  private static Tensor floats(String name, float... values) {
    return Tensor.ofFloats(name, new long[] {values.length}, values);
  }

  private static float[] readFloats(Checkpoint checkpoint, String name, long offset, int count) {
    ByteBuffer bytes = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
    checkpoint.readData(name, offset, bytes);
    float[] values = new float[count];
    bytes.flip().asFloatBuffer().get(values);
    return values;
  }
}
