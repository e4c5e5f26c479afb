package dev.paint.shared.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opening and creating checkpoints in either form, single file or sharded, chosen by the file name. */
public final class Checkpoints {

  /** Suffix of the index file of a sharded checkpoint, as in Hugging Face's {@code model.safetensors.index.json}. */
  public static final String INDEX_SUFFIX = ".safetensors.index.json";

  /** Bytes copied per read and write by {@link #rewrite}. */
  private static final int REWRITE_CHUNK_BYTES = 1 << 20;

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

  /**
   * Writes the tensors of {@code source} to {@code output} in {@code layout}, with the source's metadata, and returns
   * {@code output}: for example a single file resharded as {@code output}'s index and shards.
   *
   * @throws IllegalArgumentException when the layout's tensors differ from the source's
   */
  public static Path rewrite(Path source, Path output, List<CheckpointShard> layout) {
    try (Checkpoint checkpoint = open(source)) {
      List<TensorSpec> laidOut = layout.stream().flatMap(shard -> shard.tensors().stream()).toList();
      if (!Set.copyOf(laidOut).equals(Set.copyOf(checkpoint.tensors()))) {
        throw new IllegalArgumentException("The layout for " + output + " has tensors " + names(laidOut) + " but "
            + source + " has " + names(checkpoint.tensors()) + "; lay out exactly the source's tensors.");
      }

      ByteBuffer chunk = ByteBuffer.allocateDirect(REWRITE_CHUNK_BYTES);
      try (CheckpointWriter writer = createWriter(output, layout, checkpoint.metadata())) {
        for (TensorSpec tensor : laidOut) {
          copy(checkpoint, tensor, writer, chunk);
        }
      }
    }
    return output;
  }

  private static void copy(Checkpoint checkpoint, TensorSpec tensor, CheckpointWriter writer, ByteBuffer chunk) {
    if (tensor.byteSize() == 0) {
      writer.write(tensor.name(), ByteBuffer.allocate(0));
      return;
    }
    for (long offset = 0; offset < tensor.byteSize(); offset += chunk.capacity()) {
      chunk.clear().limit((int) Math.min(chunk.capacity(), tensor.byteSize() - offset));
      checkpoint.readData(tensor.name(), offset, chunk);
      writer.writeChunk(tensor.name(), chunk.flip());
    }
  }

  private static List<String> names(List<TensorSpec> tensors) {
    return tensors.stream().map(TensorSpec::name).toList();
  }
}
