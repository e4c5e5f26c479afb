package dev.paint.shared.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Opening and creating checkpoints in either form, single file or sharded, chosen by the file name. */
public final class Checkpoints {

  /** Suffix of the index file of a sharded checkpoint, as in Hugging Face's {@code model.safetensors.index.json}. */
  public static final String INDEX_SUFFIX = ".safetensors.index.json";

  private Checkpoints() {
  }

  /** Returns whether {@code path} names the index file of a sharded checkpoint. */
  public static boolean isSharded(Path path) {
    Path fileName = path.getFileName();
    return fileName != null && isSharded(fileName.toString());
  }

  /** Returns whether {@code name}, a file name or an object key, names the index file of a sharded checkpoint. */
  public static boolean isSharded(String name) {
    return name.endsWith(INDEX_SUFFIX);
  }

  /**
   * Opens a sharded checkpoint when {@code path} ends with {@value #INDEX_SUFFIX}, else one safetensors file.
   *
   * @throws CheckpointFormatException when the checkpoint is invalid
   * @throws java.io.UncheckedIOException when a file cannot be read
   */
  public static Checkpoint open(Path path) {
    return isSharded(path) ? ShardedCheckpoint.open(path) : SafetensorsFile.open(path);
  }

  /**
   * Creates a writer with the tensors of {@code layout}: a sharded checkpoint with the same shard file names when
   * {@code output} ends with {@value #INDEX_SUFFIX}, else one safetensors file with all tensors in layout order.
   */
  public static CheckpointWriter createWriter(Path output, List<CheckpointShard> layout, Map<String, String> metadata) {
    if (isSharded(output)) {
      return ShardedCheckpointWriter.create(output, layout, metadata);
    }
    List<TensorSpec> tensors = layout.stream().flatMap(shard -> shard.tensors().stream()).toList();
    return SafetensorsWriter.create(output, tensors, metadata);
  }
}
