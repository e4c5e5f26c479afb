package dev.paint.bench.merge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipImageTowerTest {

  @Test
  void parameterCountsMatchClip() {
    assertThat(ClipImageTower.VIT_B_32.parameterCount()).isEqualTo(87_849_216L);
    assertThat(ClipImageTower.VIT_L_14.parameterCount()).isEqualTo(303_966_208L);
    assertThat(ClipImageTower.TINY.parameterCount()).isEqualTo(902_400L);
  }

  @Test
  void towerHasClipTensorNames() {
    List<TensorSpec> tensors = ClipImageTower.VIT_B_32.tensors(DType.BF16);

    assertThat(tensors).extracting(TensorSpec::name).contains(
        "visual.conv1.weight", "visual.class_embedding", "visual.positional_embedding", "visual.ln_pre.weight",
        "visual.transformer.resblocks.11.attn.in_proj_weight", "visual.transformer.resblocks.0.mlp.c_proj.weight",
        "visual.ln_post.bias", "visual.proj", "visual.position_ids");
    assertThat(tensors).hasSize(6 + 12 * 12 + 3);
    assertThat(tensors.get(tensors.size() - 1).dtype()).isEqualTo(DType.I64);
    assertThat(tensors.get(0).dtype()).isEqualTo(DType.BF16);
  }

  @Test
  void shardLayoutRespectsMaxBytes() {
    List<TensorSpec> tensors = ClipImageTower.VIT_B_32.tensors(DType.F32);
    long maxShardBytes = 256L << 20;

    List<CheckpointShard> shards = SyntheticCheckpoints.layout(tensors, maxShardBytes);

    assertThat(shards).extracting(CheckpointShard::fileName)
        .containsExactly("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
    assertThat(shards).allSatisfy(shard -> assertThat(shard.dataBytes()).isLessThanOrEqualTo(maxShardBytes));
    assertThat(shards.stream().mapToInt(shard -> shard.tensors().size()).sum()).isEqualTo(tensors.size());
  }
}
