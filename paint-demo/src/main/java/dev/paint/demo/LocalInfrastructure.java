package dev.paint.demo;

import dev.paint.local.LocalKafkaBroker;
import dev.paint.local.LocalObjectStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.ObjectStoreSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The Kafka broker and the S3-compatible object store of one demo run, both child JVMs of paint-local on 127.0.0.1.
 * Each run starts them on empty data directories, so the registry, the topics and the bucket hold only this run's
 * records; the directories stay after {@link #close()} for inspection.
 */
public final class LocalInfrastructure implements AutoCloseable {

  /** Bucket that the services and the demo share. */
  public static final String BUCKET = "paint";

  /** System property read by paint-local for the directory of the broker's and S3Proxy's jars. */
  private static final String LOCAL_LIB_DIR_PROPERTY = "paint.local.lib-dir";

  private final LocalKafkaBroker broker;
  private final LocalObjectStore store;
  private final ObjectStore objectStore;

  private LocalInfrastructure(LocalKafkaBroker broker, LocalObjectStore store, ObjectStore objectStore) {
    this.broker = broker;
    this.store = store;
    this.objectStore = objectStore;
  }

  /**
   * Starts the broker in {@code directory/kafka} and the object store in {@code directory/object-store}, after
   * deleting what an earlier run left there, and creates the bucket.
   */
  public static LocalInfrastructure start(RepositoryLayout layout, Path directory) {
    // paint-local looks for its jars next to its own jar, but the demo's copy of that jar sits in paint-demo/target/lib.
    if (System.getProperty(LOCAL_LIB_DIR_PROPERTY) == null) {
      System.setProperty(LOCAL_LIB_DIR_PROPERTY, layout.localStackLibDirectory().toString());
    }
    Path brokerDirectory = emptyDirectory(directory.resolve("kafka"));
    Path storeDirectory = emptyDirectory(directory.resolve("object-store"));

    LocalKafkaBroker broker = LocalKafkaBroker.builder().dataDirectory(brokerDirectory).start();
    try {
      LocalObjectStore store = LocalObjectStore.builder().dataDirectory(storeDirectory).start();
      ObjectStore objectStore = ObjectStore.connect(
          new ObjectStoreSettings(store.endpoint(), store.accessKey(), store.secretKey(), BUCKET, null));
      objectStore.ensureBucket();
      return new LocalInfrastructure(broker, store, objectStore);
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Returns the settings the services get; their secret key must not be printed. */
  public ObjectStoreSettings objectStoreSettings() {
    return objectStore.settings();
  }

  public ObjectStore objectStore() {
    return objectStore;
  }

  /** Returns the broker, which can be stopped, killed and restarted on the same port and data directory. */
  public LocalKafkaBroker broker() {
    return broker;
  }

  /** Returns the object store process, which can be stopped, killed and restarted on the same port and data. */
  public LocalObjectStore objectStoreServer() {
    return store;
  }

  public Path brokerLogFile() {
    return broker.logFile();
  }

  public Path objectStoreLogFile() {
    return store.logFile();
  }

  /** Stops the object store, then the broker; both keep their data directories. */
  @Override
  public void close() {
    try {
      store.close();
    } finally {
      broker.close();
    }
  }

  private static Path emptyDirectory(Path directory) {
    try {
      if (Files.exists(directory)) {
        try (Stream<Path> paths = Files.walk(directory)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Deleting the last run's data in " + directory + " failed; delete it by hand", e);
    }
  }
}
