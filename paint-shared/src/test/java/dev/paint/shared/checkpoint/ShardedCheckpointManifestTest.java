package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedCheckpointManifestTest {

  private static final String FIRST = "model-00001-of-00002.safetensors";
  private static final String SECOND = "model-00002-of-00002.safetensors";

  @TempDir Path directory;

  @Test
  void describedManifestVerifiesAndParses() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));

    ShardedCheckpointManifest manifest = ShardedCheckpointManifest.describe(index);
    manifest.verify(index);

    assertThat(manifest.formatVersion()).isEqualTo(ShardedCheckpointManifest.FORMAT_VERSION);
    assertThat(manifest.shards()).extracting(ShardedCheckpointManifest.ShardEntry::file).containsExactly(FIRST, SECOND);
    assertThat(manifest.shards().get(1).tensors())
        .containsEntry("ids", new CheckpointManifest.TensorEntry("I64", new long[] {2}));
    assertThat(manifest.metadata()).containsEntry("format", "pt");
    assertThat(ShardedCheckpointManifest.fromJson(manifest.toJson())).isEqualTo(manifest);
    assertThat(Manifest.fromJson("x/model.safetensors.index.json", manifest.toJson())).isEqualTo(manifest);
  }

  @Test
  void sha256IgnoresIndexFileName() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));
    Path renamed = Files.copy(index, directory.resolve("encoder.safetensors.index.json"));

    assertThat(ShardedCheckpointManifest.describe(renamed).sha256())
        .isEqualTo(ShardedCheckpointManifest.describe(index).sha256());
  }

  @Test
  void editedShardDigestRejected() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));
    ShardedCheckpointManifest manifest = ShardedCheckpointManifest.describe(index);
    String edited = manifest.toJson().replace(manifest.shards().get(0).sha256(), "0".repeat(64));

    assertThatThrownBy(() -> ShardedCheckpointManifest.fromJson(edited))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("differs from")
        .hasMessageContaining("the manifest was edited");
  }

  @Test
  void singleFileManifestVersionRejected() throws IOException {
    Path file = directory.resolve("single.safetensors");
    SafetensorsWriter.write(file, List.of(floats("w", 1)), Map.of());
    String singleJson = CheckpointManifest.describe(file).toJson();

    assertThatThrownBy(() -> ShardedCheckpointManifest.fromJson(singleJson))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("format version 1 is not supported");
  }

  @Test
  void replacedShardFailsVerification() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));
    ShardedCheckpointManifest manifest = ShardedCheckpointManifest.describe(index);
    SafetensorsWriter.write(directory.resolve(SECOND),
        List.of(Tensor.ofLongs("ids", new long[] {2}, new long[] {5, 6})), Map.of("format", "pt"));

    assertThatThrownBy(() -> manifest.verify(index))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining(SECOND)
        .hasMessageContaining("its SHA-256 is");
  }

  @Test
  void missingShardFailsVerification() throws IOException {
    Path index = writeTwoShards(directory.resolve("model.safetensors.index.json"));
    ShardedCheckpointManifest manifest = ShardedCheckpointManifest.describe(index);
    Files.delete(directory.resolve(FIRST));

    assertThatThrownBy(() -> manifest.verify(index))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("its shard " + FIRST + " is missing");
  }

  private static Path writeTwoShards(Path index) {
    List<CheckpointShard> layout = List.of(
        new CheckpointShard(FIRST, List.of(floats("a", 1).spec(), floats("b", 10, 20, 30).spec())),
        new CheckpointShard(SECOND, List.of(new TensorSpec("ids", DType.I64, new long[] {2}))));
    try (ShardedCheckpointWriter writer = ShardedCheckpointWriter.create(index, layout, Map.of("format", "pt"))) {
      writer.write("a", floats("a", 1).data());
      writer.write("b", floats("b", 10, 20, 30).data());
      writer.write("ids", Tensor.ofLongs("ids", new long[] {2}, new long[] {0, 1}).data());
    }
    return index;
  }

  private static Tensor floats(String name, float... values) {
    return Tensor.ofFloats(name, new long[] {values.length}, values);
  }
}
