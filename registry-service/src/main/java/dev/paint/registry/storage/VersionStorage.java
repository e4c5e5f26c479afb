package dev.paint.registry.storage;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelVersion;
import java.util.List;
import java.util.Optional;

/**
 * Durable records of the registry: model versions, the {@code deployed} alias pointer and the alias history. The
 * registry keeps no other state, so everything it serves after a restart is read back through this interface.
 *
 * <p>Callers write in a fixed order (version record, then history entry, then alias pointer), so a crash between two
 * writes can leave an unreferenced version or history entry but never an alias pointing at a missing version.
 */
public interface VersionStorage {

  /** Prepares the storage for use, for example by creating the bucket; safe to call more than once. */
  void prepare();

  /** Returns the names of every model with at least one stored record, in lexicographic order. */
  List<String> modelNames();

  /** Returns whether the model has at least one stored version, without reading the version records. */
  boolean hasVersions(String modelName);

  /** Returns every stored version of the model, in ascending version order; empty for an unknown model. */
  List<ModelVersion> loadVersions(String modelName);

  /** Returns the latest change of the {@code deployed} alias, which is also the pointer to the deployed version. */
  Optional<AliasChange> loadDeployed(String modelName);

  /** Returns the alias history of the model, oldest first. */
  List<AliasChange> loadHistory(String modelName);

  void saveVersion(ModelVersion version);

  /** Stores the {@code sequence}-th alias change of the model, counted from 1. */
  void appendHistory(String modelName, int sequence, AliasChange change);

  /** Points the {@code deployed} alias at {@code change.version()}. */
  void saveDeployed(String modelName, AliasChange change);

  /** Returns whether the ModelPromoted event of patch task {@code taskId}'s promotion was acknowledged by the broker. */
  boolean isAnnounced(String modelName, String taskId);

  /** Records that the broker acknowledged the ModelPromoted event of patch task {@code taskId}'s promotion. */
  void markAnnounced(String modelName, String taskId);
}
