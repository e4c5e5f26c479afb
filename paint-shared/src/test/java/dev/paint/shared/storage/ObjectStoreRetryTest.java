package dev.paint.shared.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.local.LocalObjectStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retries of {@link ObjectStore} against S3Proxy on 127.0.0.1, stopped and restarted on the same port. */
class ObjectStoreRetryTest {

  private static final byte[] CONTENT = "checkpoint bytes".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalObjectStoreExtension S3PROXY = new LocalObjectStoreExtension();

  private LocalObjectStore server;

  private String bucket;

  @BeforeEach
  void createBucket() {
    server = S3PROXY.server();
    if (!server.isRunning()) {
      server.restart();
    }
    bucket = LocalObjectStoreExtension.uniqueBucketName("retry-");
    connect(RetryPolicy.NONE).ensureBucket();
  }

  @Test
  void getWaitsForRestartedStore() throws Exception {
    ObjectStore store = connect(new RetryPolicy(Duration.ofSeconds(60), Duration.ofMillis(100), Duration.ofSeconds(1)));
    store.putBytes("tasks/a/object.bin", CONTENT, "application/octet-stream");
    server.stop();

    CompletableFuture<Void> restart =
        CompletableFuture.runAsync(() -> server.restart(), CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS));
    long started = System.nanoTime();
    byte[] read = store.getBytes("tasks/a/object.bin");
    long waitedMillis = (System.nanoTime() - started) / 1_000_000;
    restart.get(60, TimeUnit.SECONDS);

    assertThat(read).isEqualTo(CONTENT);
    assertThat(waitedMillis).isGreaterThanOrEqualTo(3_000);
  }

  @Test
  void unreachableStoreGivesUpAfterMaxDuration() {
    ObjectStore store = connect(new RetryPolicy(Duration.ofSeconds(2), Duration.ofMillis(100), Duration.ofMillis(400)));
    server.stop();

    long started = System.nanoTime();
    assertThatThrownBy(() -> store.exists("tasks/a/object.bin"))
        .isInstanceOf(TransientObjectStoreException.class)
        .hasMessageContaining("tasks/a/object.bin")
        .hasMessageContaining("paint.object-store.retry.max-duration");
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(elapsedMillis).isBetween(1_000L, 10_000L);
  }

  @Test
  void missingKeyNotRetried() {
    ObjectStore store = connect(new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5)));

    long started = System.nanoTime();
    assertThatThrownBy(() -> store.getBytes("tasks/missing.bin")).isInstanceOf(ObjectNotFoundException.class);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(elapsedMillis).isLessThan(5_000);
  }

  @Test
  void wrongSecretKeyNotRetried() {
    ObjectStore store = ObjectStore.connect(
        new ObjectStoreSettings(server.endpoint(), server.accessKey(), "wrong-secret", bucket, null),
        new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5)));

    long started = System.nanoTime();
    assertThatThrownBy(() -> store.getBytes("tasks/a/object.bin"))
        .isInstanceOf(ObjectStoreException.class)
        .isNotInstanceOf(TransientObjectStoreException.class);
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(elapsedMillis).isLessThan(5_000);
  }

  @Test
  void missingLocalFileNotRetried() {
    ObjectStore store = connect(new RetryPolicy(Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(5)));

    assertThatThrownBy(() -> store.putFile("tasks/a/file.bin", Path.of("/nonexistent/file.bin")))
        .isInstanceOf(ObjectStoreException.class)
        .isNotInstanceOf(TransientObjectStoreException.class)
        .hasMessageContaining("/nonexistent/file.bin");
  }

  private ObjectStore connect(RetryPolicy policy) {
    return ObjectStore.connect(S3PROXY.settings(bucket), policy);
  }
}
