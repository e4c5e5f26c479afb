package dev.paint.bench.merge;

import dev.paint.interpolator.merge.ChunkMixer;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The merge kernel without input and output: decoding one chunk of base and fine-tuned elements and mixing it for
 * one alpha, per dtype, on one thread (a merge runs one such kernel per worker). The score is chunks per second;
 * multiply by {@code chunkElements} for elements per second.
 *
 * <p>{@link #loadAndMix} runs in a JVM with the incubating Vector API, as the interpolator service runs, and
 * {@link #loadAndMixScalar} in one without it, where the F16 and BF16 conversions take one element at a time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChunkMixerBenchmark {

  @Param({"F32", "F16", "BF16"})
  public String dtype;

  @Param({"65536"})
  public int chunkElements;

  private DType type;
  private ChunkMixer mixer;
  private ByteBuffer base;
  private ByteBuffer fineTuned;
  private ByteBuffer mixed;

  @Setup
  public void setUp() {
    type = DType.fromSafetensorsName(dtype);
    mixer = new ChunkMixer(chunkElements);
    base = randomChunk(1);
    fineTuned = randomChunk(2);
    mixed = ByteBuffer.allocateDirect(chunkElements * Double.BYTES);
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
  public ByteBuffer loadAndMix() {
    mixer.load(type, base, fineTuned, chunkElements);
    return mixer.mix(0.3, mixed);
  }

  @Benchmark
  public ByteBuffer loadAndMixScalar() {
    mixer.load(type, base, fineTuned, chunkElements);
    return mixer.mix(0.3, mixed);
  }

  /** Returns a chunk of normally distributed weights with standard deviation 0.05, encoded in the dtype. */
  private ByteBuffer randomChunk(long seed) {
    Random random = new Random(seed);
    ByteBuffer chunk = ByteBuffer.allocateDirect(chunkElements * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < chunkElements; i++) {
      float value = (float) (random.nextGaussian() * 0.05);
      switch (type) {
        case F32 -> chunk.putFloat(value);
        case F16 -> chunk.putShort(Float16.toHalf(value));
        default -> chunk.putShort(Float16.toBfloat16(value));
      }
    }
    return chunk.flip();
  }
}
