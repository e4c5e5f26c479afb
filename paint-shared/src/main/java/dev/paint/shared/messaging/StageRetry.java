package dev.paint.shared.messaging;

import dev.paint.shared.storage.RetryPolicy;
import dev.paint.shared.storage.TransientObjectStoreException;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Runs a pipeline stage of a patch task again while it fails transiently, so that an object store or broker outage
 * longer than one request's retries delays the task instead of failing it. Stages are idempotent through
 * {@link dev.paint.shared.storage.StageRecords}, so a repeated run reuses what an earlier run stored.
 */
public final class StageRetry {

  private static final Logger LOG = Logger.getLogger(StageRetry.class);

  private final RetryPolicy policy;

  public StageRetry(RetryPolicy policy) {
    this.policy = policy;
  }

  /**
   * Returns the result of {@code work}, running it again after a transient failure until the policy's time is spent.
   *
   * @throws RuntimeException the last failure: a permanent one at once, a transient one once the time is spent
   */
  public <T> T run(String taskId, String stage, Supplier<T> work) {
    long started = System.nanoTime();
    int attempt = 1;
    while (true) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (!isTransient(e)) {
          throw e;
        }
        Duration wait = policy.backoff(attempt);
        if (!policy.allowsAttemptAfter(Duration.ofNanos(System.nanoTime() - started), wait)) {
          throw e;
        }
        LOG.warnf("Stage %s of patch task %s failed transiently (attempt %d), running it again in %d ms: %s",
            stage, taskId, attempt, wait.toMillis(), e.getMessage());
        sleep(wait, taskId, stage, e);
        attempt++;
      }
    }
  }

  /** Runs {@code work} like {@link #run(String, String, Supplier)}, for a stage without a result. */
  public void run(String taskId, String stage, Runnable work) {
    run(taskId, stage, () -> {
      work.run();
      return null;
    });
  }

  /**
   * Returns whether {@code error} or one of its causes is a failure that waiting may cure: an object store that is
   * unreachable or overloaded, or a Kafka error that Kafka itself marks retriable, such as a send timeout while the
   * broker is down.
   */
  public static boolean isTransient(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof TransientObjectStoreException || cause instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration wait, String taskId, String stage, RuntimeException failure) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.addSuppressed(e);
      throw failure;
    }
  }
}
