package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reading, mixing and writing of {@link LinearMerge}: the base's tensors, in layout order, cut into chunks that a
 * few workers read and mix in parallel and write in order.
 *
 * <p>Worker {@code w} of {@code n} takes chunks {@code w}, {@code w + n}, ... For each it reads both inputs with
 * positional reads, mixes the chunk for every alpha into buffers of its own, waits until the chunk before it has been
 * written, and writes its chunk to every output. The writers stay sequential, as {@link CheckpointWriter} requires,
 * while one worker's reads and arithmetic overlap another's writes. A merge that split only the arithmetic across
 * cores left all but one core idle during every read and write system call, which on two cores cost half the rate.
 *
 * <p>Memory is fixed per worker: two input chunks, one output chunk per alpha strictly between 0 and 1, and the
 * {@link ChunkMixer}'s scratch arrays. The first failure stops every worker and is rethrown by {@link #run}.
 */
final class ChunkPipeline {

  /**
   * Maximum number of workers of one merge. Writes take their turns one at a time, so beyond a few workers the extra
   * ones mostly wait for their turn while they hold their buffers.
   */
  static final int MAX_WORKERS = 4;

  /** Bytes per buffer: a chunk of {@link LinearMerge#CHUNK_ELEMENTS} F64 elements, the widest dtype. */
  private static final int BUFFER_BYTES = LinearMerge.CHUNK_ELEMENTS * Double.BYTES;

  private static final AtomicInteger THREADS_CREATED = new AtomicInteger();

  private final Checkpoint base;
  private final Checkpoint fineTuned;
  private final List<Double> alphas;
  private final List<CheckpointWriter> writers;
  private final List<Chunk> chunks;

  private final Object turn = new Object();
  /** Index of the next chunk to write, guarded by {@link #turn}. */
  private int nextToWrite;
  /** First failure of any worker, guarded by {@link #turn}. */
  private Throwable failure;

  ChunkPipeline(Checkpoint base, Checkpoint fineTuned, List<Double> alphas, List<CheckpointWriter> writers) {
    this.base = base;
    this.fineTuned = fineTuned;
    this.alphas = List.copyOf(alphas);
    this.writers = List.copyOf(writers);
    this.chunks = chunks(base.tensors(), needsMixing(alphas));
  }

  /**
   * Writes every tensor of the base to every writer with up to {@code workers} threads (at most
   * {@value #MAX_WORKERS}), and returns when all chunks are written.
   *
   * @throws RuntimeException the first failure of any worker, as it was thrown
   */
  void run(int workers) {
    int workerCount = Math.max(1, Math.min(Math.min(workers, MAX_WORKERS), chunks.size()));
    List<Callable<Void>> tasks = new ArrayList<>();
    for (int first = 0; first < workerCount; first++) {
      tasks.add(new Worker(first, workerCount));
    }

    ExecutorService pool = Executors.newFixedThreadPool(workerCount, ChunkPipeline::newThread);
    try {
      pool.invokeAll(tasks);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(new IllegalStateException("The merge was interrupted before all chunks were written.", e));
    } finally {
      pool.shutdownNow();
    }

    rethrowFailure();
  }

  private static boolean needsMixing(List<Double> alphas) {
    return alphas.stream().anyMatch(alpha -> alpha != 0.0 && alpha != 1.0);
  }

  /** Cuts every tensor into chunks. A tensor without elements still gets one chunk, so that it is written. */
  private static List<Chunk> chunks(List<TensorSpec> tensors, boolean mixing) {
    List<Chunk> chunks = new ArrayList<>();
    for (TensorSpec tensor : tensors) {
      Source source = source(tensor, mixing);
      long chunkBytes = source == Source.MIX
          ? (long) LinearMerge.CHUNK_ELEMENTS * tensor.dtype().byteSize()
          : BUFFER_BYTES;
      long size = tensor.byteSize();
      for (long offset = 0; offset < size || offset == 0; offset += chunkBytes) {
        chunks.add(new Chunk(tensor, source, offset, (int) Math.min(chunkBytes, size - offset)));
      }
    }
    return chunks;
  }

  private static Source source(TensorSpec tensor, boolean mixing) {
    if (!tensor.dtype().isFloatingPoint()) {
      return Source.BASE;
    }
    return mixing ? Source.MIX : Source.ENDPOINTS;
  }

  private static Thread newThread(Runnable work) {
    Thread thread = new Thread(work, "paint-merge-" + THREADS_CREATED.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }

  private void awaitTurn(int index) throws InterruptedException {
    synchronized (turn) {
      while (nextToWrite != index && failure == null) {
        turn.wait();
      }
      if (failure != null) {
        throw new Stopped();
      }
    }
  }

  private void passTurn(int index) {
    synchronized (turn) {
      nextToWrite = index + 1;
      turn.notifyAll();
    }
  }

  /** Records the first failure and wakes every worker that waits for its turn, so that all of them stop. */
  private void stop(Throwable cause) {
    synchronized (turn) {
      if (failure == null) {
        failure = cause;
      }
      turn.notifyAll();
    }
  }

  private void rethrowFailure() {
    Throwable first;
    synchronized (turn) {
      first = failure;
    }
    if (first instanceof RuntimeException runtimeException) {
      throw runtimeException;
    }
    if (first instanceof Error error) {
      throw error;
    }
  }

  /** Origin of the bytes that a chunk writes to each output. */
  private enum Source {
    /** The mix of both inputs for each alpha, and the inputs' own bytes for alphas 0 and 1. */
    MIX,
    /** The base's bytes for alpha 0 and the fine-tuned bytes for alpha 1, the only alphas of the merge. */
    ENDPOINTS,
    /** The base's bytes for every alpha: integer and BOOL tensors. */
    BASE
  }

  /** {@code byteCount} bytes of {@code tensor}'s data from {@code offset} on. */
  private record Chunk(TensorSpec tensor, Source source, long offset, int byteCount) {
  }

  /** Thrown in a worker that stops because another one failed; never leaves {@link #run}. */
  private static final class Stopped extends RuntimeException {
    Stopped() {
      super(null, null, false, false);
    }
  }

  /** One thread's share of the chunks, with the buffers it reads and mixes into. */
  private final class Worker implements Callable<Void> {
    private final int first;
    private final int stride;
    private final ChunkMixer mixer = new ChunkMixer(LinearMerge.CHUNK_ELEMENTS);
    private final ByteBuffer baseBytes = newBuffer();
    private final ByteBuffer fineTunedBytes = newBuffer();
    private final ByteBuffer[] mixed = new ByteBuffer[alphas.size()];
    private final ByteBuffer[] outputs = new ByteBuffer[alphas.size()];

    Worker(int first, int stride) {
      this.first = first;
      this.stride = stride;
    }

    @Override
    public Void call() {
      try {
        for (int index = first; index < chunks.size(); index += stride) {
          Chunk chunk = chunks.get(index);
          prepare(chunk);

          awaitTurn(index);
          write(chunk);
          passTurn(index);
        }
      } catch (Stopped e) {
        // Another worker failed and run() rethrows its failure.
      } catch (InterruptedException e) {
        stop(new IllegalStateException("A merge worker was interrupted before all chunks were written.", e));
      } catch (RuntimeException | Error e) {
        stop(e);
      }
      return null;
    }

    /** Reads the chunk and fills {@link #outputs} with the bytes for each alpha. */
    private void prepare(Chunk chunk) {
      read(base, chunk, baseBytes);
      if (chunk.source() != Source.BASE) {
        read(fineTuned, chunk, fineTunedBytes);
      }
      if (chunk.source() == Source.MIX) {
        mixer.load(chunk.tensor().dtype(), baseBytes, fineTunedBytes,
            chunk.byteCount() / chunk.tensor().dtype().byteSize());
      }

      for (int i = 0; i < alphas.size(); i++) {
        outputs[i] = output(chunk, i);
      }
    }

    private ByteBuffer output(Chunk chunk, int alphaIndex) {
      double alpha = alphas.get(alphaIndex);
      if (chunk.source() == Source.BASE || alpha == 0.0) {
        return baseBytes;
      }
      if (alpha == 1.0) {
        return fineTunedBytes;
      }
      if (mixed[alphaIndex] == null) {
        mixed[alphaIndex] = newBuffer();
      }
      return mixer.mix(alpha, mixed[alphaIndex]);
    }

    private void write(Chunk chunk) {
      String name = chunk.tensor().name();
      for (int i = 0; i < writers.size(); i++) {
        if (chunk.byteCount() == 0) {
          writers.get(i).write(name, ByteBuffer.allocate(0));
        } else {
          writers.get(i).writeChunk(name, outputs[i]);
        }
      }
    }

    private static void read(Checkpoint checkpoint, Chunk chunk, ByteBuffer target) {
      target.clear().limit(chunk.byteCount());
      if (chunk.byteCount() > 0) {
        checkpoint.readData(chunk.tensor().name(), chunk.offset(), target);
      }
      target.flip();
    }

    private static ByteBuffer newBuffer() {
      return ByteBuffer.allocateDirect(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    }
  }
}
