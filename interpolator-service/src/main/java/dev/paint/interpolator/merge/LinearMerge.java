package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * elements copied into reused buffers, and written into every output before the next chunk is read. Memory use is
 * a few chunk buffers whatever the checkpoint size or the number of alphas. Nothing is memory-mapped, so the
 * resident set does not grow with the files either.
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
        writeTensors(baseCheckpoint, fineTunedCheckpoint, alphas, writers);
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

  private static void writeTensors(
      Checkpoint base, Checkpoint fineTuned, List<Double> alphas, List<CheckpointWriter> writers) {
    TensorStreams streams = new TensorStreams(base, fineTuned, writers);
    for (TensorSpec spec : base.tensors()) {
      if (spec.dtype().isFloatingPoint() && needsMixing(alphas)) {
        streams.mix(spec, alphas);
      } else if (spec.dtype().isFloatingPoint()) {
        streams.copyEndpoints(spec, alphas);
      } else {
        streams.copyFromBase(spec);
      }
    }
  }

  private static boolean needsMixing(List<Double> alphas) {
    return alphas.stream().anyMatch(alpha -> alpha != 0.0 && alpha != 1.0);
  }

  /** Chunked reads of one tensor from both inputs and writes into every output, with buffers reused throughout. */
  private static final class TensorStreams {
    private final Checkpoint base;
    private final Checkpoint fineTuned;
    private final List<CheckpointWriter> writers;
    private final ChunkMixer mixer = new ChunkMixer(CHUNK_ELEMENTS);
    /** Direct, so that file channels read into them without an intermediate copy; sized for F64 chunks. */
    private final ByteBuffer baseBytes = chunkBuffer();
    private final ByteBuffer fineTunedBytes = chunkBuffer();

    TensorStreams(Checkpoint base, Checkpoint fineTuned, List<CheckpointWriter> writers) {
      this.base = base;
      this.fineTuned = fineTuned;
      this.writers = writers;
    }

    /** Writes the mix for every alpha, reading each chunk of both inputs once for all outputs. */
    void mix(TensorSpec spec, List<Double> alphas) {
      int elementSize = spec.dtype().byteSize();
      long elementCount = spec.elementCount();
      for (long start = 0; start < elementCount; start += CHUNK_ELEMENTS) {
        int count = (int) Math.min(CHUNK_ELEMENTS, elementCount - start);
        read(base, spec, start * elementSize, count * elementSize, baseBytes);
        read(fineTuned, spec, start * elementSize, count * elementSize, fineTunedBytes);
        mixer.load(spec.dtype(), baseBytes, fineTunedBytes, count);

        for (int i = 0; i < alphas.size(); i++) {
          double alpha = alphas.get(i);
          writers.get(i).writeChunk(spec.name(), chunkFor(alpha));
        }
      }
      writeIfEmpty(spec);
    }

    private ByteBuffer chunkFor(double alpha) {
      if (alpha == 0.0) {
        return baseBytes;
      }
      if (alpha == 1.0) {
        return fineTunedBytes;
      }
      return mixer.mix(alpha);
    }

    /** Writes the base's bytes to the alpha 0 outputs and the fine-tuned bytes to the alpha 1 outputs. */
    void copyEndpoints(TensorSpec spec, List<Double> alphas) {
      for (long offset = 0; offset < spec.byteSize(); offset += baseBytes.capacity()) {
        int length = (int) Math.min(baseBytes.capacity(), spec.byteSize() - offset);
        read(base, spec, offset, length, baseBytes);
        read(fineTuned, spec, offset, length, fineTunedBytes);
        for (int i = 0; i < alphas.size(); i++) {
          writers.get(i).writeChunk(spec.name(), alphas.get(i) == 0.0 ? baseBytes : fineTunedBytes);
        }
      }
      writeIfEmpty(spec);
    }

    /** Writes the base's bytes to every output. */
    void copyFromBase(TensorSpec spec) {
      for (long offset = 0; offset < spec.byteSize(); offset += baseBytes.capacity()) {
        int length = (int) Math.min(baseBytes.capacity(), spec.byteSize() - offset);
        read(base, spec, offset, length, baseBytes);
        for (CheckpointWriter writer : writers) {
          writer.writeChunk(spec.name(), baseBytes);
        }
      }
      writeIfEmpty(spec);
    }

    /** Completes a tensor without elements, which the chunk loops above never visit. */
    private void writeIfEmpty(TensorSpec spec) {
      if (spec.byteSize() > 0) {
        return;
      }
      for (CheckpointWriter writer : writers) {
        writer.write(spec.name(), ByteBuffer.allocate(0));
      }
    }

    private static void read(Checkpoint checkpoint, TensorSpec spec, long offset, int length, ByteBuffer target) {
      target.clear().limit(length);
      checkpoint.readData(spec.name(), offset, target);
      target.flip();
    }

    private static ByteBuffer chunkBuffer() {
      return ByteBuffer.allocateDirect(CHUNK_ELEMENTS * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
