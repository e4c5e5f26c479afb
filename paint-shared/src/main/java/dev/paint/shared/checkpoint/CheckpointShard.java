package dev.paint.shared.checkpoint;

import java.util.List;
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

  /** Returns the bytes of tensor data in this shard, without the header. */
  public long dataBytes() {
    long total = 0;
    for (TensorSpec spec : tensors) {
      total = Math.addExact(total, spec.byteSize());
    }
    return total;
  }
}
