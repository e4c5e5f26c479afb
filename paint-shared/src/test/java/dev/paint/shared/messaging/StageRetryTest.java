package dev.paint.shared.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.storage.ObjectNotFoundException;
import dev.paint.shared.storage.RetryPolicy;
import dev.paint.shared.storage.TransientObjectStoreException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class StageRetryTest {

  private final StageRetry retry =
      new StageRetry(new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(10), Duration.ofMillis(50)));

  @Test
  void transientFailuresRunStageAgain() {
    AtomicInteger runs = new AtomicInteger();

    String result = retry.run("task-1", "interpolated", () -> {
      if (runs.incrementAndGet() < 3) {
        throw new TransientObjectStoreException("store unreachable", null);
      }
      return "done";
    });

    assertThat(result).isEqualTo("done");
    assertThat(runs).hasValue(3);
  }

  @Test
  void permanentFailureRaisedAtOnce() {
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> retry.run("task-1", "interpolated", () -> {
      runs.incrementAndGet();
      throw new ObjectNotFoundException("paint", "tasks/missing.bin");
    })).isInstanceOf(ObjectNotFoundException.class);

    assertThat(runs).hasValue(1);
  }

  @Test
  void transientFailureRaisedAfterMaxDuration() {
    StageRetry shortRetry =
        new StageRetry(new RetryPolicy(Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(100)));
    AtomicInteger runs = new AtomicInteger();

    assertThatThrownBy(() -> shortRetry.run("task-1", "selected", () -> {
      runs.incrementAndGet();
      throw new TransientObjectStoreException("store unreachable", null);
    })).isInstanceOf(TransientObjectStoreException.class);

    assertThat(runs.get()).isBetween(2, 10);
  }

  @Test
  void kafkaSendTimeoutIsTransient() {
    RuntimeException wrapped = new CompletionException(new TimeoutException("Expiring 1 record(s)"));

    assertThat(StageRetry.isTransient(wrapped)).isTrue();
    assertThat(StageRetry.isTransient(new IllegalStateException("bad alpha grid"))).isFalse();
  }
}
