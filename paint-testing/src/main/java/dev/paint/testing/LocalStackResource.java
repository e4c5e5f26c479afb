package dev.paint.testing;

import dev.paint.local.LocalKafkaBroker;
import dev.paint.local.LocalObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Starts a real Kafka broker and a real S3-compatible object store for a {@code @QuarkusTest}, and points the service
 * at them. Each test class gets its own bucket, so tests never see each other's objects.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {

  private static LocalKafkaBroker broker;
  private static LocalObjectStore objectStore;
  private static String bucket;

  @Override
  public Map<String, String> start() {
    // One broker and one store per JVM: starting them costs seconds, and unique topics and buckets keep tests apart.
    synchronized (LocalStackResource.class) {
      if (broker == null) {
        broker = LocalKafkaBroker.start();
        objectStore = LocalObjectStore.start();
      }
    }
    bucket = "test-" + UUID.randomUUID().toString().substring(0, 8);
    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "paint.object-store.endpoint", objectStore.endpoint(),
        "paint.object-store.access-key", objectStore.accessKey(),
        "paint.object-store.secret-key", objectStore.secretKey(),
        "paint.object-store.bucket", bucket);
  }

  @Override
  public void stop() {
    // The child processes end with the test JVM (paint-local registers a shutdown hook for them).
  }

  public static LocalKafkaBroker broker() {
    return broker;
  }

  public static LocalObjectStore objectStore() {
    return objectStore;
  }

  /** Returns the bucket of the test class that started last. */
  public static String bucket() {
    return bucket;
  }
}
