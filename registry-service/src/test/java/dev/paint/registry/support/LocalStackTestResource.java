package dev.paint.registry.support;

import dev.paint.local.LocalKafkaBroker;
import dev.paint.local.LocalObjectStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Starts a real Kafka broker and a real S3-compatible object store on 127.0.0.1 for the registry's Quarkus tests, and
 * points the service at them.
 */
public class LocalStackTestResource implements QuarkusTestResourceLifecycleManager {

  /** The bucket the registry under test uses; the service creates it at start-up. */
  public static final String BUCKET = "registry-test";

  private LocalKafkaBroker broker;
  private LocalObjectStore store;

  @Override
  public Map<String, String> start() {
    // Both start a JVM of their own; starting them side by side halves the wait.
    CompletableFuture<LocalObjectStore> storeStart = CompletableFuture.supplyAsync(LocalObjectStore::start);
    try {
      broker = LocalKafkaBroker.start();
    } finally {
      store = storeStart.join();
    }

    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "paint.object-store.endpoint", store.endpoint(),
        "paint.object-store.access-key", store.accessKey(),
        "paint.object-store.secret-key", store.secretKey(),
        "paint.object-store.bucket", BUCKET);
  }

  @Override
  public void stop() {
    try {
      if (broker != null) {
        broker.close();
      }
    } finally {
      if (store != null) {
        store.close();
      }
    }
  }
}
