package dev.paint.bench.merge;

import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.ShardedCheckpointIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The plain-copy contender of the interpolation benchmark: the input and output traffic of a merge with no
 * arithmetic. It reads every file of the base and the fine-tuned checkpoint through one reused direct buffer,
 * writes the base's bytes to the output, and fsyncs the output as paint's writer does.
 *
 * <p>A copy inside the kernel ({@code copy_file_range}, {@code sendfile}) would move fewer bytes through user
 * space, but a merge has to see every value, so a user-space copy with the same reads and writes is the limit a merge
 * can reach on the same machine.
 *
 * <p>Usage: {@code PlainCopy BASE FINE_TUNED OUTPUT}, each a safetensors file or the index of a sharded checkpoint
 * (whose shards are copied beside the output index). Prints {@code {"seconds": S}}.
 */
public final class PlainCopy {

  /** Buffer size, 1 MiB: larger than paint's chunks (at most 512 KiB), so that small reads do not slow the copy. */
  private static final int BUFFER_BYTES = 1 << 20;

  private PlainCopy() {
  }

  public static void main(String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: PlainCopy BASE FINE_TUNED OUTPUT");
    }
    Path base = Path.of(args[0]);
    Path fineTuned = Path.of(args[1]);
    Path output = Path.of(args[2]);

    long started = System.nanoTime();
    ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    List<Path> baseFiles = files(base);
    List<Path> fineTunedFiles = files(fineTuned);
    List<Path> outputFiles = files(output, base);
    for (int i = 0; i < baseFiles.size(); i++) {
      copy(baseFiles.get(i), fineTunedFiles.get(i), outputFiles.get(i), buffer);
    }
    System.out.printf("{\"seconds\": %.6f}%n", (System.nanoTime() - started) / 1e9);
  }

  /** Returns the files of a checkpoint: the index first, then its shards by name, or the single file. */
  static List<Path> files(Path checkpoint) {
    return files(checkpoint, checkpoint);
  }

  private static List<Path> files(Path checkpoint, Path layoutSource) {
    List<Path> files = new ArrayList<>();
    files.add(checkpoint);
    if (Checkpoints.isSharded(layoutSource)) {
      for (String shard : new TreeSet<>(ShardedCheckpointIndex.read(layoutSource).weightMap().values())) {
        files.add(checkpoint.resolveSibling(shard));
      }
    }
    return files;
  }

  /** Reads {@code base} and {@code fineTuned} alternately, a buffer at a time, and writes the base's bytes. */
  private static void copy(Path base, Path fineTuned, Path output, ByteBuffer buffer) {
    createParent(output);
    try (FileChannel baseChannel = FileChannel.open(base, StandardOpenOption.READ);
        FileChannel fineTunedChannel = FileChannel.open(fineTuned, StandardOpenOption.READ);
        FileChannel outputChannel = FileChannel.open(output, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      boolean baseLeft = true;
      boolean fineTunedLeft = true;
      while (baseLeft || fineTunedLeft) {
        fineTunedLeft = fineTunedLeft && readChunk(fineTunedChannel, buffer);
        baseLeft = baseLeft && readChunk(baseChannel, buffer);
        while (baseLeft && buffer.hasRemaining()) {
          outputChannel.write(buffer);
        }
      }
      outputChannel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("Copying " + base + " to " + output + " failed: " + e.getMessage(), e);
    }
  }

  private static void createParent(Path output) {
    try {
      Files.createDirectories(output.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Creating the directory of " + output + " failed: " + e.getMessage(), e);
    }
  }

  /** Fills the buffer from the channel and flips it; returns false at the end of the file. */
  private static boolean readChunk(FileChannel channel, ByteBuffer buffer) throws IOException {
    buffer.clear();
    int read = channel.read(buffer);
    buffer.flip();
    return read >= 0;
  }
}
