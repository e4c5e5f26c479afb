package dev.paint.shared.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint opened for reading, either one safetensors file ({@link SafetensorsFile}) or a sharded checkpoint
 * made of an index file and several safetensors shards ({@link ShardedCheckpoint}). {@link Checkpoints#open(Path)}
 * chooses between them by the file name.
 */
public interface Checkpoint extends AutoCloseable {

  /** Returns the path this checkpoint was opened from: the safetensors file or the index file. */
  Path path();

  /** Returns the {@code __metadata__} map of the checkpoint, empty when there is none. */
  Map<String, String> metadata();

  /** Returns the specs of all tensors, shard by shard and in the order of their data within each shard. */
  List<TensorSpec> tensors();

  /** Returns the shard layout: one shard for a single file, named by its file name. */
  List<CheckpointShard> shards();

  /**
   * Returns the spec of the named tensor.
   *
   * @throws TensorNotFoundException when there is no such tensor
   */
  TensorSpec spec(String name);

  /**
   * Reads {@code target.remaining()} bytes of the named tensor's data, starting {@code offset} bytes into it, into
   * {@code target}. The bytes are copied, so the process's memory does not grow with the checkpoint size as it
   * does with a memory mapping.
   *
   * @throws TensorNotFoundException when there is no such tensor
   * @throws IllegalArgumentException when the range runs outside the tensor's data
   * @throws java.io.UncheckedIOException when reading fails
   */
  void readData(String name, long offset, ByteBuffer target);

  /**
   * Returns the named tensor with its data copied to the heap.
   *
   * @throws TensorNotFoundException when there is no such tensor
   * @throws CheckpointException when the tensor is larger than the 2 GiB one buffer can address
   * @throws java.io.UncheckedIOException when reading fails
   */
  default Tensor read(String name) {
    TensorSpec spec = spec(name);
    if (spec.byteSize() > Integer.MAX_VALUE) {
      throw new CheckpointException("Tensor '" + name + "' in " + path() + " has " + spec.byteSize()
          + " bytes, more than one ByteBuffer can address (2 GiB); read it in pieces with readData().");
    }

    ByteBuffer data = ByteBuffer.allocate((int) spec.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    readData(name, 0, data);
    data.flip();
    return new Tensor(spec, data);
  }

  @Override
  void close();
}
