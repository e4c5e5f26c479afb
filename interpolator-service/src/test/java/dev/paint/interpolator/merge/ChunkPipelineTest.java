package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointFormatException;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.checkpoint.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkPipelineTest {

  /** Elements per chunk, so that the tensors below span several chunks and the workers interleave. */
  private static final int CHUNK = LinearMerge.CHUNK_ELEMENTS;

  @TempDir Path directory;

  @Test
  void fourWorkersWriteTheSameBytesAsOne() throws IOException {
    Path base = checkpoint("base", tensors(1));
    Path fineTuned = checkpoint("fine-tuned", tensors(2));
    List<Double> alphas = List.of(0.0, 0.3, 0.7, 1.0);
    List<Path> oneWorker = outputs("one", alphas);
    List<Path> fourWorkers = outputs("four", alphas);

    new LinearMerge(1).merge(base, fineTuned, alphas, oneWorker);
    new LinearMerge(4).merge(base, fineTuned, alphas, fourWorkers);

    for (int i = 0; i < alphas.size(); i++) {
      assertThat(Files.readAllBytes(fourWorkers.get(i))).as("alpha %s", alphas.get(i))
          .isEqualTo(Files.readAllBytes(oneWorker.get(i)));
    }
    assertThat(LinearMergeTest.tensorBytes(fourWorkers.get(0), "f32"))
        .isEqualTo(LinearMergeTest.tensorBytes(base, "f32"));
    assertThat(LinearMergeTest.tensorBytes(fourWorkers.get(3), "bf16"))
        .isEqualTo(LinearMergeTest.tensorBytes(fineTuned, "bf16"));
  }

  @Test
  void readFailureStopsAllWorkers() {
    Path base = checkpoint("base", tensors(1));
    Path fineTuned = checkpoint("fine-tuned", tensors(2));
    AtomicInteger laterReads = new AtomicInteger();
    CheckpointFormatException failure = new CheckpointFormatException("shard 2 ended early");

    try (Checkpoint baseCheckpoint = Checkpoints.open(base);
        Checkpoint failing = new FailingAt(Checkpoints.open(fineTuned), "f32", 2L * CHUNK * Float.BYTES,
            failure, laterReads)) {
      CheckpointWriter writer = Checkpoints.createWriter(directory.resolve("out.safetensors"),
          baseCheckpoint.shards(), Map.of());
      ChunkPipeline pipeline = new ChunkPipeline(baseCheckpoint, failing, List.of(0.5), List.of(writer));

      assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
          assertThatThrownBy(() -> pipeline.run(3)).isSameAs(failure));
      writer.abort();
    }

    // Each of the two other workers may have read one chunk past the failed one; none reads further.
    assertThat(laterReads.get()).isLessThanOrEqualTo(2);
  }

  /** Tensors of every kind the pipeline handles: several chunks of F32, BF16 and F16, F64, an integer and an empty one. */
  private static List<Tensor> tensors(long seed) {
    Random random = new Random(seed);
    return List.of(
        Tensor.ofFloats("f32", new long[] {3 * CHUNK + 17}, gaussians(random, 3 * CHUNK + 17)),
        Tensor.ofFloats("empty", new long[] {0, 4}, new float[0]),
        Tensor.ofFloats("bf16", DType.BF16, new long[] {2, CHUNK}, gaussians(random, 2 * CHUNK)),
        Tensor.ofLongs("position_ids", new long[] {3}, new long[] {0, 1, seed}),
        Tensor.ofFloats("f16", DType.F16, new long[] {CHUNK + 5}, gaussians(random, CHUNK + 5)),
        Tensor.ofFloats("f64", DType.F64, new long[] {1000}, gaussians(random, 1000)));
  }

  private static float[] gaussians(Random random, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * 0.05);
    }
    return values;
  }

  private List<Path> outputs(String prefix, List<Double> alphas) {
    List<Path> outputs = new ArrayList<>();
    for (double alpha : alphas) {
      outputs.add(directory.resolve(prefix + "-" + alpha + ".safetensors"));
    }
    return outputs;
  }

  private Path checkpoint(String name, List<Tensor> tensors) {
    Path file = directory.resolve(name + ".safetensors");
    SafetensorsWriter.write(file, tensors, Map.of());
    return file;
  }

  /** A checkpoint whose read of one tensor at one offset fails, counting the reads of later chunks. */
  private record FailingAt(Checkpoint delegate, String tensor, long offset, RuntimeException failure,
      AtomicInteger laterReads) implements Checkpoint {

    @Override
    public void readData(String name, long at, ByteBuffer target) {
      if (name.equals(tensor) && at == offset) {
        throw failure;
      }
      if (!name.equals(tensor) || at > offset) {
        laterReads.incrementAndGet();
      }
      delegate.readData(name, at, target);
    }

    @Override
    public Path path() {
      return delegate.path();
    }

    @Override
    public Map<String, String> metadata() {
      return delegate.metadata();
    }

    @Override
    public List<TensorSpec> tensors() {
      return delegate.tensors();
    }

    @Override
    public List<CheckpointShard> shards() {
      return delegate.shards();
    }

    @Override
    public TensorSpec spec(String name) {
      return delegate.spec(name);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
