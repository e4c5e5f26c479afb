package dev.paint.shared.model;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Turns of this JVM's threads at DJL's PyTorch engine: building, training and running an encoder happen one thread at
 * a time.
 *
 * <p>DJL 0.36's PyTorch engine allows one gradient collector per JVM and throws when a second one opens. Beyond that,
 * training that overlapped another thread's encoder creation or forward passes diverged to a NaN loss at its first
 * steps in about one run out of three of {@code EncoderTrainerTest.concurrentTrainingsBothFinish}, so every entry
 * point into the engine takes its turn as a whole. The lock is reentrant, because training measures and embeds too.
 */
final class EngineTurns {

  private static final ReentrantLock LOCK = new ReentrantLock();

  private EngineTurns() {}

  /** Runs {@code work} while no other thread of this JVM builds, trains or runs an encoder, and returns its result. */
  static <T> T exclusively(Supplier<T> work) {
    LOCK.lock();
    try {
      return work.get();
    } finally {
      LOCK.unlock();
    }
  }
}
