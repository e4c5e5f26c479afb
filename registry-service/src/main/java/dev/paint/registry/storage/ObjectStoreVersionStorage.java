package dev.paint.registry.storage;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.shared.storage.ObjectNotFoundException;
import dev.paint.shared.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link VersionStorage} as JSON objects under {@link RegistryKeys#ROOT} in the shared bucket. */
@ApplicationScoped
public class ObjectStoreVersionStorage implements VersionStorage {

  private final ObjectStore store;

  @Inject
  public ObjectStoreVersionStorage(ObjectStore store) {
    this.store = store;
  }

  @Override
  public void prepare() {
    store.ensureBucket();
  }

  @Override
  public List<String> modelNames() {
    // NOTE: this lists every registry key, which is fine for hundreds of versions. Keep a model index object if the
    // registry grows to many thousands.
    return store.list(RegistryKeys.ROOT).stream()
        .map(RegistryKeys::modelNameOf)
        .filter(Objects::nonNull)
        .distinct()
        .sorted()
        .toList();
  }

  @Override
  public boolean hasVersions(String modelName) {
    return !store.list(RegistryKeys.versionsPrefix(modelName)).isEmpty();
  }

  @Override
  public List<ModelVersion> loadVersions(String modelName) {
    return store.list(RegistryKeys.versionsPrefix(modelName)).stream()
        .filter(key -> key.endsWith(".json"))
        .map(key -> store.getJson(key, ModelVersion.class))
        .toList();
  }

  @Override
  public Optional<AliasChange> loadDeployed(String modelName) {
    try {
      return Optional.of(store.getJson(RegistryKeys.deployed(modelName), AliasChange.class));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  @Override
  public List<AliasChange> loadHistory(String modelName) {
    return store.list(RegistryKeys.historyPrefix(modelName)).stream()
        .filter(key -> key.endsWith(".json"))
        .map(key -> store.getJson(key, AliasChange.class))
        .toList();
  }

  @Override
  public void saveVersion(ModelVersion version) {
    store.putJson(RegistryKeys.version(version.modelName(), version.version()), version);
  }

  @Override
  public void appendHistory(String modelName, int sequence, AliasChange change) {
    store.putJson(RegistryKeys.history(modelName, sequence), change);
  }

  @Override
  public void saveDeployed(String modelName, AliasChange change) {
    store.putJson(RegistryKeys.deployed(modelName), change);
  }

  @Override
  public boolean isAnnounced(String modelName, String taskId) {
    return store.exists(RegistryKeys.announced(modelName, taskId));
  }

  @Override
  public void markAnnounced(String modelName, String taskId) {
    store.putJson(RegistryKeys.announced(modelName, taskId), Map.of("taskId", taskId));
  }
}
