package dev.paint.shared.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Streaming writer of a checkpoint, one tensor at a time in the layout declared when it was created. The
 * checkpoint appears at its final path only on {@link #close()}; {@link #abort()} and any failure delete what was
 * written.
 */
public interface CheckpointWriter extends AutoCloseable {

  /** Returns the final path: the safetensors file, or the index file of a sharded checkpoint. */
  Path path();

  /**
   * Writes the whole data of the next tensor; the buffer's remaining bytes are written and its position is kept.
   *
   * @throws IllegalStateException when {@code name} is not the next tensor in the layout
   * @throws IllegalArgumentException when the buffer does not hold exactly the tensor's byte size
   */
  void write(String name, ByteBuffer data);

  /**
   * Writes the next piece of the next tensor; the tensor is complete once its byte size has been written.
   *
   * @throws IllegalStateException when {@code name} is not the next tensor in the layout
   * @throws IllegalArgumentException when the piece would run past the end of the tensor
   */
  void writeChunk(String name, ByteBuffer chunk);

  /**
   * Completes the checkpoint and moves it to its final path. Does nothing when already closed or aborted.
   *
   * @throws IllegalStateException when a tensor was not written, after deleting the partial files
   */
  @Override
  void close();

  /** Stops writing and deletes the partial files; the final path is left untouched. Does nothing when finished. */
  void abort();
}
