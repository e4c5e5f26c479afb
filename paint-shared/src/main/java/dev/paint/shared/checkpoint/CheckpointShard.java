package dev.paint.shared.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One safetensors file of a checkpoint: its file name, relative to the checkpoint's directory, and its tensors in
 * the order of their data.
 */
public record CheckpointShard(String fileName, List<TensorSpec> tensors) {

  public CheckpointShard {
    Objects.requireNonNull(fileName, "fileName");
    tensors = List.copyOf(tensors);
  }

  /**
   * Returns a layout with one shard per layer, the part of a tensor's name before its first dot, in the order the
   * layers first appear. The shards are named after the index file as Hugging Face numbers them: index {@code
   * encoder.safetensors.index.json} gets {@code encoder-00001-of-00003.safetensors} and so on.
   *
   * @throws IllegalArgumentException when {@code indexName} does not end with {@value Checkpoints#INDEX_SUFFIX}
   */
  public static List<CheckpointShard> byLayer(String indexName, List<TensorSpec> tensors) {
    if (!Checkpoints.isSharded(indexName)) {
      throw new IllegalArgumentException("Index name " + indexName + " does not end with " + Checkpoints.INDEX_SUFFIX
          + "; name the index of a sharded checkpoint like model" + Checkpoints.INDEX_SUFFIX + ".");
    }
    Map<String, List<TensorSpec>> tensorsByLayer = new LinkedHashMap<>();
    for (TensorSpec tensor : tensors) {
      int dot = tensor.name().indexOf('.');
      String layer = dot < 0 ? tensor.name() : tensor.name().substring(0, dot);
      tensorsByLayer.computeIfAbsent(layer, name -> new ArrayList<>()).add(tensor);
    }

    String stem = indexName.substring(0, indexName.length() - Checkpoints.INDEX_SUFFIX.length());
    List<CheckpointShard> shards = new ArrayList<>();
    int count = tensorsByLayer.size();
    for (List<TensorSpec> layer : tensorsByLayer.values()) {
      String fileName = String.format(Locale.ROOT, "%s-%05d-of-%05d.safetensors", stem, shards.size() + 1, count);
      shards.add(new CheckpointShard(fileName, layer));
    }
    return shards;
  }

  /** Returns the bytes of tensor data in this shard, without the header. */
  public long dataBytes() {
    long total = 0;
    for (TensorSpec spec : tensors) {
      total = Math.addExact(total, spec.byteSize());
    }
    return total;
  }
}
