package dev.paint.registry.service;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelSummary;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.storage.VersionStorage;
import dev.paint.shared.storage.ObjectStoreException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Every model's records, loaded from {@link VersionStorage} on start-up or on a model's first use, with one lock per
 * model so that reading the deployed version and moving the alias happen as one step.
 *
 * <p>NOTE: the lock and the cache are per process, so run one registry instance per set of models (one per model
 * partition of {@code paint.candidate.selected}). A second instance serving the same model would neither see this
 * one's versions nor take part in its compare-and-set, and two promotions could then deploy versions built on the same
 * base.
 */
@ApplicationScoped
public class ModelRegistry {

  private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

  private final VersionStorage storage;
  private final RegistryMetrics metrics;
  private final ConcurrentMap<String, Slot> models = new ConcurrentHashMap<>();

  @Inject
  public ModelRegistry(VersionStorage storage, RegistryMetrics metrics) {
    this.storage = storage;
    this.metrics = metrics;
  }

  /** Loads every stored model, so the gauges are right from the start; a store that is down defers it to first use. */
  void onStart(@Observes StartupEvent event) {
    try {
      storage.prepare();
      loadAll();
    } catch (ObjectStoreException e) {
      LOG.warnf(
          "Registry records not loaded at start-up, each model will be loaded on first use instead: %s",
          e.getMessage());
    }
  }

  /** Loads every model that has stored records and is not loaded yet. */
  public void loadAll() {
    for (String modelName : storage.modelNames()) {
      update(modelName, records -> null);
    }
  }

  /**
   * Runs {@code change} on the model's records while holding the model's lock, loading the records first if needed.
   * Everything {@code change} reads and writes is one atomic step with respect to other calls for the same model.
   */
  <T> T update(String modelName, Function<ModelRecords, T> change) {
    Slot slot = models.computeIfAbsent(modelName, name -> new Slot());
    slot.lock.lock();
    try {
      if (slot.records == null) {
        slot.records = ModelRecords.load(modelName, storage, metrics);
      }
      return change.apply(slot.records);
    } finally {
      slot.lock.unlock();
    }
  }

  /**
   * Runs {@code query} like {@link #update}, except that a model without stored versions is not cached, so that
   * requests for unknown names do not grow the cache.
   */
  <T> T read(String modelName, Function<ModelRecords, T> query, T whenUnknown) {
    if (!models.containsKey(modelName) && !storage.hasVersions(modelName)) {
      return whenUnknown;
    }
    return update(modelName, records -> records.isEmpty() ? whenUnknown : query.apply(records));
  }

  public List<ModelSummary> models() {
    TreeSet<String> names = new TreeSet<>(storage.modelNames());
    names.addAll(models.keySet());

    List<ModelSummary> summaries = new ArrayList<>();
    for (String name : names) {
      ModelSummary summary = read(name, ModelRegistry::summarize, null);
      if (summary != null) {
        summaries.add(summary);
      }
    }
    return summaries;
  }

  public List<ModelVersion> versions(String modelName) {
    return read(modelName, ModelRecords::versions, List.of());
  }

  public Optional<ModelVersion> version(String modelName, int version) {
    return read(modelName, records -> records.version(version), Optional.empty());
  }

  public Optional<ModelVersion> deployed(String modelName) {
    return read(modelName, ModelRecords::deployed, Optional.empty());
  }

  public List<AliasChange> history(String modelName) {
    return read(modelName, ModelRecords::history, List.of());
  }

  private static ModelSummary summarize(ModelRecords records) {
    List<ModelVersion> versions = records.versions();
    Integer deployed = records.deployed().map(ModelVersion::version).orElse(null);
    return new ModelSummary(
        records.modelName(), deployed, versions.get(versions.size() - 1).version(), versions.size());
  }

  /** A model's lock and, once loaded, its records. */
  private static final class Slot {
    private final ReentrantLock lock = new ReentrantLock();
    private ModelRecords records;
  }
}
