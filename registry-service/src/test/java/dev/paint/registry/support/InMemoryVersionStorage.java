package dev.paint.registry.support;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.storage.VersionStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link VersionStorage} in memory, for unit tests of the promotion rules. A test can make the next alias pointer
 * writes fail, to check what a crash between two writes leaves behind.
 */
public final class InMemoryVersionStorage implements VersionStorage {

  private final Map<String, TreeMap<Integer, ModelVersion>> versions = new TreeMap<>();
  private final Map<String, TreeMap<Integer, AliasChange>> history = new TreeMap<>();
  private final Map<String, AliasChange> deployed = new TreeMap<>();
  private final Set<String> announced = new TreeSet<>();
  private final AtomicInteger failingDeployedWrites = new AtomicInteger();

  /** Makes the next {@code count} calls of {@link #saveDeployed} throw, as an unreachable object store would. */
  public void failNextDeployedWrites(int count) {
    failingDeployedWrites.set(count);
  }

  @Override
  public void prepare() {}

  @Override
  public synchronized List<String> modelNames() {
    return List.copyOf(versions.keySet());
  }

  @Override
  public synchronized boolean hasVersions(String modelName) {
    return versions.containsKey(modelName);
  }

  @Override
  public synchronized List<ModelVersion> loadVersions(String modelName) {
    return new ArrayList<>(versions.getOrDefault(modelName, new TreeMap<>()).values());
  }

  @Override
  public synchronized Optional<AliasChange> loadDeployed(String modelName) {
    return Optional.ofNullable(deployed.get(modelName));
  }

  @Override
  public synchronized List<AliasChange> loadHistory(String modelName) {
    return new ArrayList<>(history.getOrDefault(modelName, new TreeMap<>()).values());
  }

  @Override
  public synchronized void saveVersion(ModelVersion version) {
    versions.computeIfAbsent(version.modelName(), name -> new TreeMap<>()).put(version.version(), version);
  }

  @Override
  public synchronized void appendHistory(String modelName, int sequence, AliasChange change) {
    history.computeIfAbsent(modelName, name -> new TreeMap<>()).put(sequence, change);
  }

  @Override
  public synchronized void saveDeployed(String modelName, AliasChange change) {
    if (failingDeployedWrites.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
      throw new IllegalStateException("Simulated object store failure writing the deployed alias of " + modelName);
    }
    deployed.put(modelName, change);
  }

  @Override
  public synchronized boolean isAnnounced(String modelName, String taskId) {
    return announced.contains(modelName + "/" + taskId);
  }

  @Override
  public synchronized void markAnnounced(String modelName, String taskId) {
    announced.add(modelName + "/" + taskId);
  }
}
