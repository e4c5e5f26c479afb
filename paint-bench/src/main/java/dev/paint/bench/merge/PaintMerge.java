package dev.paint.bench.merge;

import dev.paint.interpolator.merge.ChunkMixer;
import dev.paint.interpolator.merge.LinearMerge;
import dev.paint.interpolator.merge.MergeWarmUp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paint contender of the interpolation benchmark: {@link LinearMerge} of a base and a fine-tuned checkpoint at
 * one alpha, as the interpolator service runs it, fsync of the output included.
 *
 * <p>Usage: {@code PaintMerge BASE FINE_TUNED ALPHA OUTPUT [RUNS]}. First the merge is warmed up as the
 * service does at startup, and the time that took goes to standard error. Then the merge runs {@code RUNS} times
 * (default 1) in this JVM, deleting the output before each run. The first run still compiles what the warm-up's
 * small checkpoints left cold, and the last one runs as the long-running service does after a few merges. Prints
 * {@code {"seconds": LAST, "first_seconds": FIRST}}, each timed from opening the inputs to the completed output, so
 * that JVM start-up is left out as Python's imports are for the references.
 */
public final class PaintMerge {

  private PaintMerge() {
  }

  public static void main(String[] args) {
    if (args.length != 4 && args.length != 5) {
      throw new IllegalArgumentException("Usage: PaintMerge BASE FINE_TUNED ALPHA OUTPUT [RUNS]");
    }
    Path base = Path.of(args[0]);
    Path fineTuned = Path.of(args[1]);
    double alpha = Double.parseDouble(args[2]);
    Path output = Path.of(args[3]);
    int runs = args.length == 5 ? Integer.parseInt(args[4]) : 1;

    long warmUpStarted = System.nanoTime();
    warmUp(output);
    System.err.printf("Warm-up took %.3f s; %s%n", (System.nanoTime() - warmUpStarted) / 1e9,
        ChunkMixer.describeConversions());
    List<Double> seconds = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      delete(output);
      long started = System.nanoTime();
      new LinearMerge().merge(base, fineTuned, List.of(alpha), List.of(output));
      seconds.add((System.nanoTime() - started) / 1e9);
    }
    System.out.printf("{\"seconds\": %.6f, \"first_seconds\": %.6f}%n", seconds.get(runs - 1), seconds.get(0));
  }

  /** Warms the merge up as the service does, in a directory beside the output that is deleted afterwards. */
  private static void warmUp(Path output) {
    try {
      Path parent = Files.createDirectories(output.toAbsolutePath().getParent());
      Path directory = Files.createTempDirectory(parent, "warm-up");
      MergeWarmUp.run(directory);
      Files.delete(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Warming up beside " + output + " failed: " + e.getMessage(), e);
    }
  }

  /** Deletes a previous output, with its shards, so that every run writes new files as the first one does. */
  private static void delete(Path output) {
    if (!Files.exists(output)) {
      return;
    }
    try {
      for (Path file : PlainCopy.files(output)) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Deleting the previous output " + output + " failed: " + e.getMessage(), e);
    }
  }
}
