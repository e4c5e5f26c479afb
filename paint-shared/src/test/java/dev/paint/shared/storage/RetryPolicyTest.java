package dev.paint.shared.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(200), Duration.ofSeconds(1));

  @Test
  void backoffDoublesWithJitterUpToMax() {
    for (int i = 0; i < 200; i++) {
      assertThat(policy.backoff(1).toMillis()).isBetween(100L, 200L);
      assertThat(policy.backoff(2).toMillis()).isBetween(200L, 400L);
      assertThat(policy.backoff(3).toMillis()).isBetween(400L, 800L);
      assertThat(policy.backoff(4).toMillis()).isBetween(500L, 1000L);
      assertThat(policy.backoff(60).toMillis()).isBetween(500L, 1000L);
    }
  }

  @Test
  void backoffVaries() {
    long distinct = IntStream.range(0, 50).mapToLong(i -> policy.backoff(3).toMillis()).distinct()
        .count();

    assertThat(distinct).isGreaterThan(1);
  }

  @Test
  void attemptsStopAtMaxDuration() {
    assertThat(policy.allowsAttemptAfter(Duration.ofSeconds(9), Duration.ofMillis(500))).isTrue();
    assertThat(policy.allowsAttemptAfter(Duration.ofSeconds(9), Duration.ofMillis(1500))).isFalse();
    assertThat(RetryPolicy.NONE.allowsAttemptAfter(Duration.ZERO, RetryPolicy.NONE.backoff(1))).isFalse();
  }

  @Test
  void maxBackoffBelowInitialRejected() {
    assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBackoff");
  }
}
