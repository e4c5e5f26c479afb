package dev.paint.shared.storage;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for transient failures: the n-th wait is a random time between half and all of
 * {@code min(maxBackoff, initialBackoff * 2^(n-1))}, and no new attempt starts once {@code maxDuration} has passed
 * since the first one. The jitter keeps the four services from retrying against a recovering store in lockstep.
 *
 * @param maxDuration time after the first attempt after which the failure is reported instead of retried
 * @param initialBackoff wait before the second attempt, before jitter
 * @param maxBackoff upper bound of a single wait
 */
public record RetryPolicy(Duration maxDuration, Duration initialBackoff, Duration maxBackoff) {

  /** The defaults of paint.object-store.retry.*: 60 s in all, waits from 200 ms doubling up to 5 s. */
  public static final RetryPolicy OBJECT_STORE_DEFAULT =
      new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(200), Duration.ofSeconds(5));

  /** A policy that never retries, for callers that must fail fast, such as a readiness probe. */
  public static final RetryPolicy NONE = new RetryPolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    requireNotNegative(maxDuration, "maxDuration");
    requireNotNegative(initialBackoff, "initialBackoff");
    requireNotNegative(maxBackoff, "maxBackoff");
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff " + maxBackoff + " is shorter than initialBackoff " + initialBackoff + "; raise maxBackoff");
    }
  }

  /** Returns the wait after failed attempt {@code attempt} (1 for the first), with jitter. */
  public Duration backoff(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be 1 or more, but is " + attempt);
    }

    // Shifting by more than 30 would overflow; the cap is reached long before that for any sensible policy.
    long ceiling = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt - 1, 30));
    if (ceiling <= 0) {
      return Duration.ZERO;
    }
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }

  /**
   * Returns whether another attempt may start, {@code wait} from now and {@code elapsed} after the first one. Never
   * true for a zero {@link #maxDuration()}.
   */
  public boolean allowsAttemptAfter(Duration elapsed, Duration wait) {
    return elapsed.plus(wait).compareTo(maxDuration) < 0;
  }

  private static void requireNotNegative(Duration value, String name) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be zero or positive, but is " + value);
    }
  }
}
