package dev.paint.shared.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderCheckpointTest {

  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(8), 8, 10.0);

  @TempDir Path directory;

  @Test
  void shardedSaveHasOneShardPerLayer() {
    Path index = directory.resolve("encoder.safetensors.index.json");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 1)) {
      encoder.save(index, Map.of("paint.test", "sharded"));
    }

    try (Checkpoint checkpoint = Checkpoints.open(index)) {
      assertThat(checkpoint.shards()).extracting(CheckpointShard::fileName).containsExactly(
          "encoder-00001-of-00003.safetensors", "encoder-00002-of-00003.safetensors",
          "encoder-00003-of-00003.safetensors");
      assertThat(checkpoint.shards().get(0).tensors()).extracting(spec -> spec.name())
          .containsExactly("conv0.weight", "conv0.bias");
      assertThat(checkpoint.metadata()).containsEntry("paint.test", "sharded");
    }
  }

  @Test
  void saveLikeKeepsShardNamesAndTensors() {
    Path model = directory.resolve("model.safetensors.index.json");
    Path index = directory.resolve("fine-tuned/encoder.safetensors.index.json");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 3)) {
      encoder.save(model, Map.of());
      try (Checkpoint like = Checkpoints.open(model)) {
        encoder.save(index, Map.of("paint.test", "like"), like.shards());
      }
    }

    try (Checkpoint like = Checkpoints.open(model); Checkpoint saved = Checkpoints.open(index)) {
      assertThat(saved.shards()).extracting(CheckpointShard::fileName)
          .containsExactly("model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
              "model-00003-of-00003.safetensors");
      assertThat(saved.shards()).isEqualTo(like.shards());
      assertThat(saved.metadata()).containsEntry("paint.test", "like");
      assertThat(saved.read("conv0.weight").toFloats()).containsExactly(like.read("conv0.weight").toFloats());
    }
  }

  @Test
  void saveLikeRejectsOtherTensors() {
    List<CheckpointShard> layout = List.of(new CheckpointShard("model-00001-of-00001.safetensors",
        List.of(new TensorSpec("conv0.weight", DType.F32, new long[] {4, 1, 3, 3}))));
    Path index = directory.resolve("encoder.safetensors.index.json");

    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 4)) {
      assertThatThrownBy(() -> encoder.save(index, Map.of(), layout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("has tensors [conv0.weight] but the encoder has")
          .hasMessageContaining("pass the layout of a checkpoint of this encoder");
    }
  }

  @Test
  void shardedCheckpointLoadsSameWeights() {
    Path index = directory.resolve("encoder.safetensors.index.json");
    Path single = directory.resolve("encoder.safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 2)) {
      encoder.save(index, Map.of());
      encoder.save(single, Map.of());
    }

    try (Encoder fromShards = Encoder.load(SPEC, index, Device.cpu());
        Encoder fromFile = Encoder.load(SPEC, single, Device.cpu())) {
      assertThat(fromShards.parameters().keySet()).containsExactlyElementsOf(fromFile.parameters().keySet());
      fromFile.parameters().forEach((name, parameter) -> assertThat(
          fromShards.parameters().get(name).getArray().toFloatArray())
          .as(name)
          .containsExactly(parameter.getArray().toFloatArray()));
    }
  }
}
