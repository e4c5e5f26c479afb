package dev.paint.shared.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A sharded checkpoint opened for reading: an index file ({@code model.safetensors.index.json}, see
 * {@link ShardedCheckpointIndex}) and the safetensors shards it names, all in one directory.
 *
 * <p>{@link #open(Path)} validates the whole layout before returning: every shard the index names exists and is a
 * valid safetensors file, every tensor of every shard is listed in the index with that shard, and every tensor the
 * index lists is in the shard it names, so each tensor is in exactly one shard. Shards are ordered by file name,
 * which is their numbering in Hugging Face's {@code model-0000k-of-0000n.safetensors} names.
 */
public final class ShardedCheckpoint implements Checkpoint {

  private final Path indexFile;
  private final List<SafetensorsFile> shardFiles;
  private final Map<String, SafetensorsFile> shardByTensor;
  private final List<TensorSpec> tensors;

  private ShardedCheckpoint(Path indexFile, List<SafetensorsFile> shardFiles, Map<String, SafetensorsFile> byTensor) {
    this.indexFile = indexFile;
    this.shardFiles = shardFiles;
    this.shardByTensor = byTensor;
    this.tensors = shardFiles.stream().flatMap(shard -> shard.tensors().stream()).toList();
  }

  /**
   * Opens and validates a sharded checkpoint.
   *
   * @throws CheckpointFormatException when the index or a shard is invalid, a shard is missing, or the index and
   *     the shards disagree on where a tensor is
   * @throws java.io.UncheckedIOException when a file cannot be read
   */
  public static ShardedCheckpoint open(Path indexFile) {
    ShardedCheckpointIndex index = ShardedCheckpointIndex.read(indexFile);
    Path directory = indexFile.toAbsolutePath().getParent();

    List<SafetensorsFile> shards = new ArrayList<>();
    try {
      for (String fileName : new TreeSet<>(index.weightMap().values())) {
        shards.add(openShard(indexFile, directory.resolve(fileName)));
      }
      Map<String, SafetensorsFile> byTensor = tensorsByShard(indexFile, index, shards);
      return new ShardedCheckpoint(indexFile, List.copyOf(shards), byTensor);
    } catch (RuntimeException e) {
      shards.forEach(SafetensorsFile::close);
      throw e;
    }
  }

  @Override
  public Path path() {
    return indexFile;
  }

  /** Returns the {@code __metadata__} map of the first shard, which paint's writer repeats in every shard. */
  @Override
  public Map<String, String> metadata() {
    return shardFiles.get(0).metadata();
  }

  @Override
  public List<TensorSpec> tensors() {
    return tensors;
  }

  @Override
  public List<CheckpointShard> shards() {
    return shardFiles.stream()
        .map(shard -> new CheckpointShard(shard.path().getFileName().toString(), shard.tensors()))
        .toList();
  }

  @Override
  public TensorSpec spec(String name) {
    return shard(name).spec(name);
  }

  @Override
  public void readData(String name, long offset, ByteBuffer target) {
    shard(name).readData(name, offset, target);
  }

  /** Closes every shard, even when closing one fails. */
  @Override
  public void close() {
    RuntimeException failure = null;
    for (SafetensorsFile shard : shardFiles) {
      try {
        shard.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "ShardedCheckpoint[" + indexFile + ", " + shardFiles.size() + " shards, " + tensors.size() + " tensors]";
  }

  private SafetensorsFile shard(String name) {
    SafetensorsFile shard = shardByTensor.get(name);
    if (shard == null) {
      throw new TensorNotFoundException("Checkpoint " + indexFile + " has no tensor '" + name + "'; its "
          + shardFiles.size() + " shards have " + tensors.size() + " tensors. Check the tensor name or the"
          + " checkpoint the name came from.");
    }
    return shard;
  }

  private static SafetensorsFile openShard(Path indexFile, Path shardFile) {
    if (!Files.isRegularFile(shardFile)) {
      throw ShardedCheckpointIndex.invalid(indexFile, "it names shard " + shardFile.getFileName()
          + ", which does not exist in " + shardFile.getParent() + ".");
    }
    return SafetensorsFile.open(shardFile);
  }

  /** Returns the shard of every tensor after checking that the index and the shards agree. */
  private static Map<String, SafetensorsFile> tensorsByShard(
      Path indexFile, ShardedCheckpointIndex index, List<SafetensorsFile> shards) {
    Map<String, SafetensorsFile> byTensor = new HashMap<>();
    for (SafetensorsFile shard : shards) {
      String fileName = shard.path().getFileName().toString();
      for (TensorSpec spec : shard.tensors()) {
        SafetensorsFile other = byTensor.put(spec.name(), shard);
        if (other != null) {
          throw ShardedCheckpointIndex.invalid(indexFile, "tensor '" + spec.name() + "' is in two shards, "
              + other.path().getFileName() + " and " + fileName + "; each tensor must be in exactly one shard.");
        }
        String listed = index.weightMap().get(spec.name());
        if (!fileName.equals(listed)) {
          throw ShardedCheckpointIndex.invalid(indexFile, "tensor '" + spec.name() + "' is in shard " + fileName
              + " but the index " + (listed == null ? "does not list it." : "places it in " + listed + "."));
        }
      }
    }

    for (Map.Entry<String, String> entry : index.weightMap().entrySet()) {
      if (!byTensor.containsKey(entry.getKey())) {
        throw ShardedCheckpointIndex.invalid(indexFile, "it places tensor '" + entry.getKey() + "' in shard "
            + entry.getValue() + ", which has no such tensor.");
      }
    }
    return byTensor;
  }
}
