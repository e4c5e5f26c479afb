package dev.paint.shared.config;

import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.ObjectStoreException;
import dev.paint.shared.storage.ObjectStoreSettings;
import dev.paint.shared.storage.RetryPolicy;
import dev.paint.shared.storage.StageRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Makes the object store, checkpoint store, stage records and dataset store injectable in every service. */
@ApplicationScoped
public class ObjectStoreProducer {

  private static final Logger LOG = Logger.getLogger(ObjectStoreProducer.class);

  /** Connects and creates the bucket; a store that is down at start-up is logged, not fatal, so the service starts. */
  @Produces
  @Singleton
  ObjectStore objectStore(ObjectStoreConfig config) {
    ObjectStore store = ObjectStore.connect(
        new ObjectStoreSettings(
            config.endpoint(), config.accessKey(), config.secretKey(), config.bucket(),
            config.region().orElse(null)),
        new RetryPolicy(config.retry().maxDuration(), config.retry().initialBackoff(), config.retry().maxBackoff()));
    try {
      // Without retries, so that a service whose store is down still starts at once and reports not ready.
      store.withRetryPolicy(RetryPolicy.NONE).ensureBucket();
    } catch (ObjectStoreException e) {
      LOG.warnf("Object store not ready at start-up, continuing: %s", e.getMessage());
    }
    return store;
  }

  @Produces
  @Singleton
  CheckpointStore checkpointStore(ObjectStore store) {
    return new CheckpointStore(store);
  }

  @Produces
  @Singleton
  StageRecords stageRecords(ObjectStore store) {
    return new StageRecords(store);
  }

  @Produces
  @Singleton
  DatasetStore datasetStore(ObjectStore store, ObjectStoreConfig config) {
    // Every task reads the same splits again; the cache is keyed by SHA-256, so a stale file is never used.
    Path cache = config.cacheDirectory().map(Path::of)
        .orElse(Path.of(System.getProperty("java.io.tmpdir"), "paint-dataset-cache"));
    return new DatasetStore(store, cache);
  }
}
