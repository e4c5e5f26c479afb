package dev.paint.shared.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A safetensors checkpoint opened for reading, with its tensors memory-mapped on demand.
 *
 * <p>{@link #open(Path)} treats the file as untrusted: it validates the length prefix, the JSON header and the
 * layout of every tensor before returning (see {@link SafetensorsHeader}), so a later {@link #data(String)}
 * never reads outside the file. Tensor data is not checked for NaN or infinity unless {@link #requireFinite()}
 * is called.
 *
 * <p>Instances are safe to share between threads. Buffers returned by {@link #data(String)} stay valid after
 * {@link #close()}, because a mapping does not depend on its channel, but they fault if the file is truncated
 * while they are in use.
 */
public final class SafetensorsFile implements Checkpoint {

  /** Default maximum header size, 100 MiB, which is above the 100 MB that the reference implementation accepts. */
  public static final long DEFAULT_MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final int LENGTH_PREFIX_BYTES = 8;
  private static final int AVAILABLE_NAMES_SHOWN = 5;

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, String> metadata;
  private final List<TensorSpec> tensors;
  private final Map<String, SafetensorsHeader.Entry> entriesByName;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, SafetensorsHeader header) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.metadata = header.metadata();
    this.tensors = header.entries().stream().map(SafetensorsHeader.Entry::spec).toList();
    this.entriesByName = new LinkedHashMap<>();
    header.entries().forEach(entry -> entriesByName.put(entry.spec().name(), entry));
  }

  /** Opens and validates a checkpoint with a header of at most {@link #DEFAULT_MAX_HEADER_BYTES}. */
  public static SafetensorsFile open(Path file) {
    return open(file, DEFAULT_MAX_HEADER_BYTES);
  }

  /**
   * Opens and validates a checkpoint.
   *
   * @param maxHeaderBytes the largest header accepted, which bounds the memory that parsing an untrusted file takes
   * @throws CheckpointFormatException when the file is not a valid safetensors file
   * @throws UncheckedIOException when the file cannot be read
   */
  public static SafetensorsFile open(Path file, long maxHeaderBytes) {
    if (maxHeaderBytes < 2 || maxHeaderBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxHeaderBytes " + maxHeaderBytes
          + " is outside [2, " + (Integer.MAX_VALUE - 8) + "]; the header is read into one byte array.");
    }
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("Opening checkpoint file " + file + " failed: " + e.getMessage(), e);
    }

    try {
      return readHeader(file, channel, maxHeaderBytes);
    } catch (RuntimeException e) {
      closeAfterFailure(channel, e);
      throw e;
    }
  }

  /** Returns the file this checkpoint was opened from. */
  @Override
  public Path path() {
    return path;
  }

  /** Returns the {@code __metadata__} map of the header, empty when there is none. */
  @Override
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Returns the specs of all tensors in the order of their data in the file. */
  @Override
  public List<TensorSpec> tensors() {
    return tensors;
  }

  /** Returns one shard, named by this file's name, with all tensors. */
  @Override
  public List<CheckpointShard> shards() {
    return List.of(new CheckpointShard(path.getFileName().toString(), tensors));
  }

  /** Returns whether the checkpoint has a tensor of this name. */
  public boolean contains(String name) {
    return entriesByName.containsKey(name);
  }

  /**
   * Returns the spec of the named tensor.
   *
   * @throws TensorNotFoundException when there is no such tensor
   */
  @Override
  public TensorSpec spec(String name) {
    return entry(name).spec();
  }

  /**
   * Returns the data of the named tensor as a read-only, little-endian view of the mapped file, without copying.
   *
   * @throws TensorNotFoundException when there is no such tensor
   * @throws CheckpointException when the tensor is larger than the 2 GiB one buffer can address
   * @throws IllegalStateException when this file is closed
   */
  public ByteBuffer data(String name) {
    SafetensorsHeader.Entry entry = entry(name);
    long length = entry.end() - entry.begin();
    if (length > Integer.MAX_VALUE) {
      // NOTE: no paint model has a tensor this large; reading one would need a chunked data(name, offset, length).
      throw new CheckpointException("Tensor '" + name + "' in " + path + " has " + length
          + " bytes, more than one ByteBuffer can address (2 GiB); split the tensor before exporting.");
    }
    if (!channel.isOpen()) {
      throw new IllegalStateException("Checkpoint " + path + " is closed; open it again to read tensor '"
          + name + "'.");
    }

    try {
      return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException("Mapping tensor '" + name + "' of checkpoint " + path + " failed: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void readData(String name, long offset, ByteBuffer target) {
    SafetensorsHeader.Entry entry = entry(name);
    long length = entry.end() - entry.begin();
    if (offset < 0 || offset > length - target.remaining()) {
      throw new IllegalArgumentException("Cannot read " + target.remaining() + " bytes at offset " + offset
          + " of tensor '" + name + "' in " + path + ", which has " + length + " bytes; read within [0, "
          + length + "].");
    }

    long position = dataStart + entry.begin() + offset;
    try {
      while (target.hasRemaining()) {
        int read = channel.read(target, position);
        if (read < 0) {
          throw new CheckpointFormatException("Checkpoint " + path + " ended at byte " + position
              + " while reading tensor '" + name + "'; it was truncated after it was opened. Download or export"
              + " it again.");
        }
        position += read;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Reading tensor '" + name + "' of checkpoint " + path + " failed: "
          + e.getMessage(), e);
    }
  }

  /** Returns the named tensor with its data copied to the heap, so later changes to the file do not affect it. */
  @Override
  public Tensor read(String name) {
    ByteBuffer mapped = data(name);
    ByteBuffer copy = ByteBuffer.allocate(mapped.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(mapped).flip();
    return new Tensor(spec(name), copy);
  }

  /**
   * Checks that every floating-point tensor contains only finite values.
   *
   * @throws CheckpointFormatException naming the first tensor and element index that contains NaN or infinity
   */
  public void requireFinite() {
    for (TensorSpec spec : tensors) {
      requireFinite(spec.name());
    }
  }

  /**
   * Checks that the named tensor contains only finite values; integer and BOOL tensors always pass.
   *
   * @throws CheckpointFormatException naming the tensor and the flat, row-major index of the first NaN or infinity
   */
  public void requireFinite(String name) {
    TensorSpec spec = spec(name);
    if (!spec.dtype().isFloatingPoint()) {
      return;
    }

    ByteBuffer data = data(name);
    int index = firstNonFiniteIndex(spec.dtype(), data);
    if (index >= 0) {
      throw new CheckpointFormatException("Checkpoint " + path + ": tensor '" + name + "' (" + spec.dtype() + " "
          + Arrays.toString(spec.shape()) + ") contains " + elementAsDouble(spec.dtype(), data, index)
          + " at flat element index " + index
          + ". Training probably diverged; retrain with a lower learning rate or export a finite checkpoint.");
    }
  }

  /** Closes the file. Buffers already returned by {@link #data(String)} remain readable. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("Closing checkpoint " + path + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + tensors.size() + " tensors]";
  }

  private static SafetensorsFile readHeader(Path file, FileChannel channel, long maxHeaderBytes) {
    long fileSize = size(file, channel);
    if (fileSize < LENGTH_PREFIX_BYTES) {
      throw SafetensorsHeader.invalid(file, "the file has " + fileSize
          + " bytes, fewer than the 8-byte header length. The file is truncated or empty; download or"
          + " export it again.");
    }

    ByteBuffer prefix = readFully(file, channel, 0, LENGTH_PREFIX_BYTES);
    long headerLength = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    // A u64 above Long.MAX_VALUE reads as negative here and is rejected with the other oversized lengths.
    if (headerLength < 0 || headerLength > maxHeaderBytes) {
      throw SafetensorsHeader.invalid(file, "header length " + Long.toUnsignedString(headerLength)
          + " bytes exceeds the limit of " + maxHeaderBytes + " bytes. The file is probably not a"
          + " safetensors file; if it is, open it with a larger maxHeaderBytes.");
    }
    if (headerLength > fileSize - LENGTH_PREFIX_BYTES) {
      throw SafetensorsHeader.invalid(file, "header length " + headerLength + " bytes runs past the end of the"
          + " file, which has " + (fileSize - LENGTH_PREFIX_BYTES) + " bytes after the length prefix."
          + " The file is truncated; download or export it again.");
    }

    byte[] json = new byte[(int) headerLength];
    readFully(file, channel, LENGTH_PREFIX_BYTES, (int) headerLength).get(json);
    long dataStart = LENGTH_PREFIX_BYTES + headerLength;
    SafetensorsHeader header = SafetensorsHeader.parse(file, json, fileSize - dataStart);
    return new SafetensorsFile(file, channel, dataStart, header);
  }

  private SafetensorsHeader.Entry entry(String name) {
    SafetensorsHeader.Entry entry = entriesByName.get(name);
    if (entry == null) {
      throw new TensorNotFoundException("Checkpoint " + path + " has no tensor '" + name + "'; it has "
          + tensors.size() + " tensors: " + availableNames()
          + ". Check the tensor name or the checkpoint the name came from.");
    }
    return entry;
  }

  private String availableNames() {
    String shownNames = tensors.stream()
        .limit(AVAILABLE_NAMES_SHOWN)
        .map(spec -> "'" + spec.name() + "'")
        .collect(Collectors.joining(", "));
    int hidden = tensors.size() - AVAILABLE_NAMES_SHOWN;
    return hidden > 0 ? shownNames + " and " + hidden + " more" : shownNames;
  }

  /** Returns the index of the first NaN or infinity in the tensor data, or -1 when all values are finite. */
  private static int firstNonFiniteIndex(DType dtype, ByteBuffer data) {
    switch (dtype) {
      case F32 -> {
        FloatBuffer values = data.asFloatBuffer();
        for (int i = 0; i < values.limit(); i++) {
          if (!Float.isFinite(values.get(i))) {
            return i;
          }
        }
      }
      case F64 -> {
        DoubleBuffer values = data.asDoubleBuffer();
        for (int i = 0; i < values.limit(); i++) {
          if (!Double.isFinite(values.get(i))) {
            return i;
          }
        }
      }
      case F16, BF16 -> {
        // An all-ones exponent encodes NaN or infinity in both 16-bit formats.
        int exponentMask = dtype == DType.F16 ? 0x7c00 : 0x7f80;
        ShortBuffer values = data.asShortBuffer();
        for (int i = 0; i < values.limit(); i++) {
          if ((values.get(i) & exponentMask) == exponentMask) {
            return i;
          }
        }
      }
      default -> throw new IllegalStateException("Unhandled floating-point dtype " + dtype);
    }
    return -1;
  }

  private static double elementAsDouble(DType dtype, ByteBuffer data, int index) {
    return switch (dtype) {
      case F32 -> data.getFloat(index * 4);
      case F64 -> data.getDouble(index * 8);
      case F16 -> Float16.fromHalf(data.getShort(index * 2));
      case BF16 -> Float16.fromBfloat16(data.getShort(index * 2));
      default -> throw new IllegalStateException("Unhandled floating-point dtype " + dtype);
    };
  }

  private static long size(Path file, FileChannel channel) {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the size of checkpoint " + file + " failed: " + e.getMessage(), e);
    }
  }

  private static ByteBuffer readFully(Path file, FileChannel channel, long position, int length) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        int read = channel.read(buffer, position + buffer.position());
        if (read < 0) {
          throw SafetensorsHeader.invalid(file, "the file ended after " + (position + buffer.position())
              + " bytes while reading its header; it was truncated while being opened.");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Reading checkpoint " + file + " failed: " + e.getMessage(), e);
    }
    return buffer.flip();
  }

  private static void closeAfterFailure(FileChannel channel, RuntimeException failure) {
    try {
      channel.close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }
}
