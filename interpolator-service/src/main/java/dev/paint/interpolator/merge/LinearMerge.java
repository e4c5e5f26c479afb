package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Linear interpolation of weights, the merge that PAINT uses (Ilharco et al., "Patching open-vocabulary models
 * by interpolating weights", NeurIPS 2022): {@code theta_alpha = (1 - alpha) * theta_base + alpha *
 * theta_fineTuned}, per element.
 *
 * <p>The merge streams: each tensor is read once from both inputs, in chunks of {@value #CHUNK_ELEMENTS}
 * elements copied into reused buffers, and written into every output; {@link ChunkPipeline} reads and mixes chunks on
 * several threads and writes them in order. Memory use is a few chunk buffers per thread and alpha, whatever the
 * checkpoint size. Nothing is memory-mapped, so the resident set does not grow with the files either.
 *
 * <p>Inputs and outputs are single safetensors files or sharded checkpoints (see {@link Checkpoints}), in any
 * mix. An output whose name ends with {@value Checkpoints#INDEX_SUFFIX} gets the base's shard layout, with the
 * base's shard file names, in its own directory.
 *
 * <p>{@link ChunkMixer} describes the arithmetic and its rounding. Alpha 0 and 1 copy the input bytes, because
 * the formula alone turns a base {@code -0.0} into {@code +0.0} at alpha 0 and an infinity into NaN. Integer and
 * BOOL tensors, such as batch norm's {@code num_batches_tracked} or a position id table, are counters and indices
 * rather than weights and are copied from the base.
 */
public final class LinearMerge implements MergeMethod {

  /** Name of this method in configuration and in the {@value MergeMethod#METADATA_METHOD} metadata. */
  public static final String NAME = "linear";

  /**
   * Elements per chunk. With 64 Ki elements the buffers of a merge take about 2.5 MiB, which stays in the
   * processor's caches between decoding, mixing and encoding, and each read or write call still moves 128 to 512 KiB.
   */
  static final int CHUNK_ELEMENTS = 1 << 16;

  private final int workers;

  /** Creates the merge with one worker per available processor, up to {@value ChunkPipeline#MAX_WORKERS}. */
  public LinearMerge() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Creates the merge with up to {@code workers} threads that read and mix chunks in parallel.
   *
   * @throws IllegalArgumentException when {@code workers} is below 1
   */
  public LinearMerge(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers is " + workers + "; give at least 1 thread.");
    }
    this.workers = workers;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void merge(Path base, Path fineTuned, List<Double> alphas, List<Path> outputs) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(fineTuned, "fineTuned");
    requireValidAlphas(alphas, outputs);

    try (Checkpoint baseCheckpoint = Checkpoints.open(base);
        Checkpoint fineTunedCheckpoint = Checkpoints.open(fineTuned)) {
      requireValidOutputs(baseCheckpoint, fineTunedCheckpoint, outputs);
      CheckpointCompatibility.requireCompatible(baseCheckpoint, fineTunedCheckpoint);

      List<CheckpointWriter> writers = createWriters(baseCheckpoint, alphas, outputs);
      try {
        new ChunkPipeline(baseCheckpoint, fineTunedCheckpoint, alphas, writers).run(workers);
        for (CheckpointWriter writer : writers) {
          writer.close();
        }
      } catch (RuntimeException | Error e) {
        writers.forEach(CheckpointWriter::abort);
        throw e;
      }
    }
  }

  private static void requireValidAlphas(List<Double> alphas, List<Path> outputs) {
    Objects.requireNonNull(alphas, "alphas");
    Objects.requireNonNull(outputs, "outputs");
    if (alphas.isEmpty()) {
      throw new IllegalArgumentException("No alphas given; pass at least one alpha in [0, 1] and one output.");
    }
    if (alphas.size() != outputs.size()) {
      throw new IllegalArgumentException("Got " + alphas.size() + " alphas but " + outputs.size()
          + " outputs; pass one output path per alpha.");
    }
    for (int i = 0; i < alphas.size(); i++) {
      Double alpha = alphas.get(i);
      if (alpha == null || !(alpha >= 0.0 && alpha <= 1.0)) {
        throw new IllegalArgumentException("Alpha " + alpha + " at index " + i
            + " is outside [0, 1]; alpha 0 keeps the base and 1 the fine-tuned checkpoint.");
      }
    }
  }

  /**
   * Checks that no output writes a file that an input is read from or that another output writes, counting the
   * shard files of sharded checkpoints.
   */
  private static void requireValidOutputs(Checkpoint base, Checkpoint fineTuned, List<Path> outputs) {
    Set<Path> inputFiles = new HashSet<>(files(base.path(), base.shards()));
    inputFiles.addAll(files(fineTuned.path(), fineTuned.shards()));
    Map<Path, Path> writtenBy = new HashMap<>();
    for (Path output : outputs) {
      Objects.requireNonNull(output, "output path");
      for (Path file : files(output, base.shards())) {
        if (inputFiles.contains(file)) {
          throw new IllegalArgumentException("Output " + output + " is also an input of the merge"
              + (file.equals(normalized(output)) ? "" : " (it would write " + file + ")")
              + "; write the candidates to new paths.");
        }
        Path other = writtenBy.putIfAbsent(file, output);
        if (other != null) {
          throw new IllegalArgumentException(other.equals(output)
              ? "Output " + output + " is given twice; give each alpha its own output path."
              : "Outputs " + other + " and " + output + " would both write " + file
                  + "; give each sharded candidate its own directory.");
        }
      }
    }
  }

  /** Returns the files a checkpoint at {@code path} consists of: itself, and its shards when it is sharded. */
  private static List<Path> files(Path path, List<CheckpointShard> shards) {
    List<Path> files = new ArrayList<>();
    files.add(normalized(path));
    if (Checkpoints.isSharded(path)) {
      for (CheckpointShard shard : shards) {
        files.add(normalized(path.resolveSibling(shard.fileName())));
      }
    }
    return files;
  }

  private static Path normalized(Path path) {
    return path.toAbsolutePath().normalize();
  }

  private static List<CheckpointWriter> createWriters(Checkpoint base, List<Double> alphas, List<Path> outputs) {
    List<CheckpointWriter> writers = new ArrayList<>();
    try {
      for (int i = 0; i < outputs.size(); i++) {
        writers.add(Checkpoints.createWriter(outputs.get(i), base.shards(), metadata(base, alphas.get(i))));
      }
    } catch (RuntimeException e) {
      writers.forEach(CheckpointWriter::abort);
      throw e;
    }
    return writers;
  }

  private static Map<String, String> metadata(Checkpoint base, double alpha) {
    Map<String, String> metadata = new LinkedHashMap<>(base.metadata());
    metadata.put(METADATA_METHOD, NAME);
    // Adding 0.0 turns -0.0 into 0.0, so alpha 0 is always recorded as "0.0".
    metadata.put(METADATA_ALPHA, Double.toString(alpha + 0.0));
    return metadata;
  }
}
