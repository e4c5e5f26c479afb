package dev.paint.shared.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Streaming writer of a safetensors checkpoint, one tensor at a time, so that a whole checkpoint never has to
 * be in memory.
 *
 * <p>{@link #create} writes the header for the tensors in the given order. Each tensor must then be written in
 * that order, whole with {@link #write} or in consecutive pieces with {@link #writeChunk}. Bytes go to
 * {@code <file>.partial}, and {@link #close()} renames it to {@code file} atomically once every tensor is
 * written, so a reader never sees a half-written checkpoint at the final path. {@link #abort()}, and any
 * failure, deletes the partial file instead.
 *
 * <p>Instances are not thread-safe.
 */
public final class SafetensorsWriter implements CheckpointWriter {

  /** Suffix of the file that receives the bytes until the checkpoint is complete. */
  public static final String PARTIAL_SUFFIX = ".partial";

  private final Path file;
  private final Path partialFile;
  private final FileChannel channel;
  private final List<TensorSpec> specs;
  private int nextIndex;
  private long bytesWrittenOfNext;
  private boolean finished;

  private SafetensorsWriter(Path file, Path partialFile, FileChannel channel, List<TensorSpec> specs) {
    this.file = file;
    this.partialFile = partialFile;
    this.channel = channel;
    this.specs = specs;
  }

  /**
   * Creates {@code file + ".partial"}, creating missing parent directories, and writes the header.
   *
   * @param specs the tensors in the order their data will be written
   * @param metadata the {@code __metadata__} map, empty or {@code null} for none
   * @throws IllegalArgumentException when two tensors share a name or the header exceeds
   *     {@link SafetensorsFile#DEFAULT_MAX_HEADER_BYTES}
   */
  public static SafetensorsWriter create(Path file, List<TensorSpec> specs, Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(specs, "specs");
    Map<String, String> checkedMetadata = metadata == null ? Map.of() : metadata;
    checkedMetadata.forEach((key, value) -> {
      if (key == null || value == null) {
        throw new IllegalArgumentException("Metadata entry " + key + "=" + value + " for " + file
            + " has a null key or value; safetensors metadata maps strings to strings.");
      }
    });

    byte[] header = SafetensorsHeader.encode(specs, checkedMetadata);
    if (header.length > SafetensorsFile.DEFAULT_MAX_HEADER_BYTES) {
      throw new IllegalArgumentException("Header of " + file + " would be " + header.length + " bytes, over the "
          + SafetensorsFile.DEFAULT_MAX_HEADER_BYTES + " bytes that readers accept; shorten the metadata.");
    }

    Path partialFile = file.resolveSibling(file.getFileName() + PARTIAL_SUFFIX);
    FileChannel channel = openChannel(partialFile);
    SafetensorsWriter writer = new SafetensorsWriter(file, partialFile, channel, List.copyOf(specs));
    ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
    writer.writeBytes(prefix);
    writer.writeBytes(ByteBuffer.wrap(header));
    return writer;
  }

  /**
   * Writes a complete checkpoint in one call, tensors in list order.
   *
   * @throws IllegalArgumentException when two tensors share a name
   */
  public static void write(Path file, List<Tensor> tensors, Map<String, String> metadata) {
    List<TensorSpec> specs = tensors.stream().map(Tensor::spec).toList();
    SafetensorsWriter writer = create(file, specs, metadata);
    try {
      for (Tensor tensor : tensors) {
        writer.write(tensor.spec().name(), tensor.data());
      }
      writer.close();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  /** Returns the final path, which exists only after a successful {@link #close()}. */
  @Override
  public Path path() {
    return file;
  }

  /**
   * Writes the whole data of the next tensor; the buffer's remaining bytes are written and its position is kept.
   *
   * @throws IllegalStateException when {@code name} is not the next tensor in the layout
   * @throws IllegalArgumentException when the buffer does not hold exactly the tensor's byte size
   */
  @Override
  public void write(String name, ByteBuffer data) {
    TensorSpec spec = requireNext(name);
    if (bytesWrittenOfNext != 0) {
      throw new IllegalStateException("Tensor '" + name + "' of " + file + " is partly written ("
          + bytesWrittenOfNext + " of " + spec.byteSize() + " bytes); finish it with writeChunk().");
    }
    if (data.remaining() != spec.byteSize()) {
      throw new IllegalArgumentException("Tensor '" + name + "' of " + file + " needs " + spec.byteSize()
          + " bytes for dtype " + spec.dtype() + " and shape " + Arrays.toString(spec.shape())
          + ", but the buffer has " + data.remaining() + ".");
    }

    writeBytes(data);
    nextIndex++;
  }

  /**
   * Writes the next piece of the next tensor; the tensor is complete once its byte size has been written.
   *
   * @throws IllegalStateException when {@code name} is not the next tensor in the layout
   * @throws IllegalArgumentException when the piece would run past the end of the tensor
   */
  @Override
  public void writeChunk(String name, ByteBuffer chunk) {
    TensorSpec spec = requireNext(name);
    long remaining = spec.byteSize() - bytesWrittenOfNext;
    if (chunk.remaining() > remaining) {
      throw new IllegalArgumentException("Chunk of " + chunk.remaining() + " bytes runs past the end of tensor '"
          + name + "' of " + file + ", which has " + remaining + " of " + spec.byteSize()
          + " bytes left to write.");
    }

    writeBytes(chunk);
    bytesWrittenOfNext += chunk.remaining();
    if (bytesWrittenOfNext == spec.byteSize()) {
      nextIndex++;
      bytesWrittenOfNext = 0;
    }
  }

  /**
   * Completes the checkpoint: flushes it to disk and renames the partial file to the final path, replacing
   * any file there. Does nothing when already closed or aborted.
   *
   * @throws IllegalStateException when a tensor was not written, after deleting the partial file
   */
  @Override
  public void close() {
    if (finished) {
      return;
    }
    if (nextIndex < specs.size()) {
      abort();
      throw new IllegalStateException("Checkpoint " + file + " is incomplete: tensor '"
          + specs.get(nextIndex).name() + "' and " + (specs.size() - nextIndex - 1)
          + " tensors after it were not written. The partial file was deleted; write every tensor"
          + " before close().");
    }

    try {
      // Flush before the rename, so that after a crash the final path contains either nothing or all bytes.
      channel.force(true);
      channel.close();
      Files.move(partialFile, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      finished = true;
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("Completing checkpoint " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Stops writing and deletes the partial file; the final path is left untouched. Does nothing when finished. */
  @Override
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // The file is deleted next, so an unflushed write does not matter.
    }
    try {
      Files.deleteIfExists(partialFile);
    } catch (IOException ignored) {
      // NOTE: a leftover .partial file is harmless because no reader opens it and the next writer truncates it.
    }
  }

  private TensorSpec requireNext(String name) {
    if (finished) {
      throw new IllegalStateException("Writer of " + file + " is closed; tensor '" + name + "' cannot be written.");
    }
    if (nextIndex == specs.size()) {
      throw new IllegalStateException("All " + specs.size() + " tensors of " + file
          + " are written; tensor '" + name + "' is one too many. Declare every tensor in create().");
    }
    TensorSpec next = specs.get(nextIndex);
    if (!next.name().equals(name)) {
      boolean declared = specs.stream().anyMatch(spec -> spec.name().equals(name));
      throw new IllegalStateException("Tensor '" + name + "' of " + file
          + (declared ? " is out of order" : " was not declared in create()") + ": the layout expects '"
          + next.name() + "' next (tensor " + (nextIndex + 1) + " of " + specs.size() + ").");
    }
    return next;
  }

  private void writeBytes(ByteBuffer bytes) {
    ByteBuffer remaining = bytes.duplicate();
    try {
      while (remaining.hasRemaining()) {
        channel.write(remaining);
      }
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("Writing checkpoint " + partialFile + " failed: " + e.getMessage(), e);
    }
  }

  private static FileChannel openChannel(Path partialFile) {
    try {
      Path parent = partialFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return FileChannel.open(partialFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("Creating checkpoint file " + partialFile + " failed: " + e.getMessage(), e);
    }
  }
}
