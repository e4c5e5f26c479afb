package dev.paint.bench.merge;

import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a synthetic base checkpoint and a fine-tuned one shaped like a {@link ClipImageTower}, as single files or
 * sharded the way Hugging Face shards them.
 *
 * <p>Usage: {@code SyntheticCheckpoints TOWER DTYPE MAX_SHARD_BYTES DIRECTORY}. With {@code MAX_SHARD_BYTES} 0 it
 * writes {@code DIRECTORY/base.safetensors} and {@code DIRECTORY/fine-tuned.safetensors}; otherwise
 * {@code DIRECTORY/base/model.safetensors.index.json} and {@code DIRECTORY/fine-tuned/...} with shards of at most
 * that many bytes (a tensor larger than that gets a shard of its own). Base weights are uniform in [-0.05, 0.05)
 * and the fine-tuned weights differ by up to 0.005, about what a short fine-tuning moves them. The fine-tuned
 * position ids are shifted by one, so that a merge that mixes or copies them from the wrong side shows.
 */
public final class SyntheticCheckpoints {

  private static final int CHUNK_ELEMENTS = 1 << 16;

  private SyntheticCheckpoints() {
  }

  public static void main(String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException("Usage: SyntheticCheckpoints TOWER DTYPE MAX_SHARD_BYTES DIRECTORY,"
          + " for example vit-b-32 F16 0 /tmp/bench");
    }
    ClipImageTower tower = ClipImageTower.byName(args[0]);
    DType dtype = DType.fromSafetensorsName(args[1]);
    long maxShardBytes = Long.parseLong(args[2]);
    Path directory = Path.of(args[3]);

    List<CheckpointShard> layout = layout(tower.tensors(dtype), maxShardBytes);
    write(output(directory, "base", maxShardBytes), layout, 0);
    write(output(directory, "fine-tuned", maxShardBytes), layout, 0.005f);
  }

  /** Returns the path of a checkpoint: a file for single-file checkpoints, else an index in its own directory. */
  static Path output(Path directory, String name, long maxShardBytes) {
    if (maxShardBytes == 0) {
      return directory.resolve(name + ".safetensors");
    }
    return directory.resolve(name).resolve("model" + Checkpoints.INDEX_SUFFIX);
  }

  /** Splits the tensors, in order, into shards of at most {@code maxShardBytes} of data; 0 means one file. */
  static List<CheckpointShard> layout(List<TensorSpec> tensors, long maxShardBytes) {
    List<List<TensorSpec>> groups = new ArrayList<>();
    List<TensorSpec> current = new ArrayList<>();
    long currentBytes = 0;
    for (TensorSpec spec : tensors) {
      boolean full = maxShardBytes > 0 && !current.isEmpty() && currentBytes + spec.byteSize() > maxShardBytes;
      if (full) {
        groups.add(current);
        current = new ArrayList<>();
        currentBytes = 0;
      }
      current.add(spec);
      currentBytes += spec.byteSize();
    }
    groups.add(current);

    List<CheckpointShard> shards = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      String fileName = String.format("model-%05d-of-%05d.safetensors", i + 1, groups.size());
      shards.add(new CheckpointShard(fileName, groups.get(i)));
    }
    return shards;
  }

  private static void write(Path output, List<CheckpointShard> layout, float fineTuneStep) {
    Values values = new Values();
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_ELEMENTS * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    try (CheckpointWriter writer = Checkpoints.createWriter(output, layout, Map.of("format", "pt"))) {
      for (CheckpointShard shard : layout) {
        for (TensorSpec spec : shard.tensors()) {
          writeTensor(writer, spec, values, fineTuneStep, chunk);
        }
      }
    }
  }

  private static void writeTensor(CheckpointWriter writer, TensorSpec spec, Values values, float fineTuneStep,
      ByteBuffer chunk) {
    long elementCount = spec.elementCount();
    for (long start = 0; start < elementCount; start += CHUNK_ELEMENTS) {
      int count = (int) Math.min(CHUNK_ELEMENTS, elementCount - start);
      chunk.clear();
      for (int i = 0; i < count; i++) {
        if (spec.dtype() == DType.I64) {
          chunk.putLong(start + i + (fineTuneStep > 0 ? 1 : 0));
        } else {
          putFloat(chunk, spec.dtype(), values.next(fineTuneStep));
        }
      }
      writer.writeChunk(spec.name(), chunk.flip());
    }
  }

  private static void putFloat(ByteBuffer chunk, DType dtype, float value) {
    switch (dtype) {
      case F32 -> chunk.putFloat(value);
      case F16 -> chunk.putShort(Float16.toHalf(value));
      case BF16 -> chunk.putShort(Float16.toBfloat16(value));
      default -> throw new IllegalArgumentException("Dtype " + dtype + " is not generated; use F32, F16 or BF16.");
    }
  }

  /**
   * Pseudo-random weights from two xorshift generators: one for the base, which both checkpoints replay, and one
   * for the fine-tuning step.
   */
  private static final class Values {
    private long base = 0x2545_f491_4f6c_dd1dL;
    private long step = 0x9e37_79b9_7f4a_7c15L;

    float next(float fineTuneStep) {
      base = xorshift(base);
      step = xorshift(step);
      return uniform(base) * 0.05f + uniform(step) * fineTuneStep;
    }

    /** Returns a float in [-1, 1) from the top 24 bits of {@code bits}. */
    private static float uniform(long bits) {
      return ((bits >>> 40) - (1 << 23)) * 0x1p-23f;
    }

    private static long xorshift(long x) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      return x;
    }
  }
}
