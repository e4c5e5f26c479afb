package dev.paint.shared.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Streaming writer of a sharded checkpoint: one {@link SafetensorsWriter} per shard, in the index file's directory,
 * and the index file itself.
 *
 * <p>Tensors are written in layout order, shard by shard. {@link #close()} completes every shard and then writes
 * the index, so the index, the checkpoint's final path, appears only once all its shards are in place. A failure
 * deletes the shards this writer completed as well as the partial ones. Every shard gets the same
 * {@code __metadata__} map.
 *
 * <p>Instances are not thread-safe.
 */
public final class ShardedCheckpointWriter implements CheckpointWriter {

  private final Path indexFile;
  private final List<SafetensorsWriter> shardWriters;
  private final Map<String, SafetensorsWriter> writerByTensor;
  private final ShardedCheckpointIndex index;
  private boolean finished;

  private ShardedCheckpointWriter(Path indexFile, List<SafetensorsWriter> shardWriters,
      Map<String, SafetensorsWriter> writerByTensor, ShardedCheckpointIndex index) {
    this.indexFile = indexFile;
    this.shardWriters = shardWriters;
    this.writerByTensor = writerByTensor;
    this.index = index;
  }

  /**
   * Creates the partial files of every shard beside {@code indexFile} and writes their headers.
   *
   * @throws IllegalArgumentException when a shard name is not a plain file name or repeats, or a tensor name
   *     repeats
   */
  public static ShardedCheckpointWriter create(
      Path indexFile, List<CheckpointShard> shards, Map<String, String> metadata) {
    Objects.requireNonNull(indexFile, "indexFile");
    ShardedCheckpointIndex index = index(indexFile, shards);
    Path directory = indexFile.toAbsolutePath().getParent();

    List<SafetensorsWriter> writers = new ArrayList<>();
    Map<String, SafetensorsWriter> writerByTensor = new HashMap<>();
    try {
      for (CheckpointShard shard : shards) {
        SafetensorsWriter writer = SafetensorsWriter.create(directory.resolve(shard.fileName()), shard.tensors(),
            metadata);
        writers.add(writer);
        shard.tensors().forEach(spec -> writerByTensor.put(spec.name(), writer));
      }
    } catch (RuntimeException e) {
      writers.forEach(SafetensorsWriter::abort);
      throw e;
    }
    return new ShardedCheckpointWriter(indexFile, List.copyOf(writers), writerByTensor, index);
  }

  @Override
  public Path path() {
    return indexFile;
  }

  @Override
  public void write(String name, ByteBuffer data) {
    writer(name).write(name, data);
  }

  @Override
  public void writeChunk(String name, ByteBuffer chunk) {
    writer(name).writeChunk(name, chunk);
  }

  @Override
  public void close() {
    if (finished) {
      return;
    }
    try {
      for (SafetensorsWriter writer : shardWriters) {
        writer.close();
      }
      Path partialIndex = indexFile.resolveSibling(indexFile.getFileName() + SafetensorsWriter.PARTIAL_SUFFIX);
      index.write(partialIndex);
      Files.move(partialIndex, indexFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      finished = true;
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("Completing checkpoint index " + indexFile + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      abort();
      throw e;
    }
  }

  /** Deletes the partial shards, the shards already completed and the partial index; the index is untouched. */
  @Override
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    for (SafetensorsWriter writer : shardWriters) {
      writer.abort();
      deleteQuietly(writer.path());
    }
    deleteQuietly(indexFile.resolveSibling(indexFile.getFileName() + SafetensorsWriter.PARTIAL_SUFFIX));
  }

  private SafetensorsWriter writer(String name) {
    SafetensorsWriter writer = writerByTensor.get(name);
    if (writer == null) {
      throw new IllegalStateException("Tensor '" + name + "' of " + indexFile
          + " was not declared in any shard in create(); declare every tensor in its shard.");
    }
    return writer;
  }

  private static ShardedCheckpointIndex index(Path indexFile, List<CheckpointShard> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("Checkpoint " + indexFile + " has no shards; give at least one.");
    }
    Set<String> fileNames = new HashSet<>();
    Map<String, String> weightMap = new LinkedHashMap<>();
    long totalSize = 0;
    for (CheckpointShard shard : shards) {
      requirePlainFileName(indexFile, shard.fileName());
      if (!fileNames.add(shard.fileName())) {
        throw new IllegalArgumentException("Shard " + shard.fileName() + " of " + indexFile
            + " is given twice; give each shard its own file name.");
      }
      for (TensorSpec spec : shard.tensors()) {
        if (weightMap.put(spec.name(), shard.fileName()) != null) {
          throw new IllegalArgumentException("Tensor '" + spec.name() + "' of " + indexFile
              + " is in more than one shard; put each tensor in exactly one shard.");
        }
      }
      totalSize = Math.addExact(totalSize, shard.dataBytes());
    }
    return new ShardedCheckpointIndex(weightMap, totalSize);
  }

  private static void requirePlainFileName(Path indexFile, String fileName) {
    try {
      ShardedCheckpointIndex.requirePlainFileName(indexFile, "(any)", fileName);
    } catch (CheckpointFormatException e) {
      throw new IllegalArgumentException("Shard name '" + fileName + "' of " + indexFile
          + " is not a plain file name; shards are written into the index's directory.", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // NOTE: a shard left behind without its index is never read, because readers start from the index.
    }
  }
}
