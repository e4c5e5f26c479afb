package dev.paint.shared.config;

import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.ObjectStoreSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the object store, the checkpoint store and the dataset store injectable in every service. */
@ApplicationScoped
public class ObjectStoreProducer {

  @Produces
  @Singleton
  ObjectStore objectStore(ObjectStoreConfig config) {
    return ObjectStore.connect(
        new ObjectStoreSettings(
            config.endpoint(), config.accessKey(), config.secretKey(), config.bucket(),
            config.region().orElse(null)));
  }

  @Produces
  @Singleton
  CheckpointStore checkpointStore(ObjectStore store) {
    return new CheckpointStore(store);
  }

  @Produces
  @Singleton
  DatasetStore datasetStore(ObjectStore store) {
    return new DatasetStore(store);
  }
}
