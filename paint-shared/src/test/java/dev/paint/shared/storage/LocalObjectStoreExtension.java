package dev.paint.shared.storage;

import dev.paint.local.LocalObjectStore;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts S3Proxy on 127.0.0.1 before a test class and closes it after, for tests of paint-shared's object store
 * clients. Register it as a static field with {@code @RegisterExtension} and create a bucket per test with {@link
 * #createBucket(String)}.
 *
 * <p>Each class gets its own S3Proxy rather than one per JVM, as paint-testing's LocalStackResource shares, because
 * {@link ObjectStoreRetryTest} stops and restarts its server.
 */
public final class LocalObjectStoreExtension implements BeforeAllCallback, AfterAllCallback {

  private LocalObjectStore server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = LocalObjectStore.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (server != null) {
      server.close();
    }
  }

  /** Returns the running S3Proxy, for tests that stop, restart or sign with its credentials. */
  public LocalObjectStore server() {
    return server;
  }

  /** Returns the settings that reach {@code bucket} on this S3Proxy with its access key and secret key. */
  public ObjectStoreSettings settings(String bucket) {
    return new ObjectStoreSettings(server.endpoint(), server.accessKey(), server.secretKey(), bucket, null);
  }

  /** Creates a bucket named by {@link #uniqueBucketName(String)} and returns a client for it. */
  public ObjectStore createBucket(String prefix) {
    ObjectStore objects = ObjectStore.connect(settings(uniqueBucketName(prefix)));
    objects.ensureBucket();
    return objects;
  }

  /** Returns {@code prefix} plus 8 random hexadecimal characters, so that each test gets a bucket of its own. */
  public static String uniqueBucketName(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }
}
