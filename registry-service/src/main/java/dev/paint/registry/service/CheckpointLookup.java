package dev.paint.registry.service;

import dev.paint.shared.event.CheckpointRef;

/**
 * Looks up checkpoints in the object store by key. The registry only verifies that checkpoints exist and match their
 * manifests, and never downloads one.
 */
@FunctionalInterface
public interface CheckpointLookup {

  /** Returns the stored reference (key, SHA-256 and size from the manifest), or null when the file or manifest is missing. */
  CheckpointRef find(String key);
}
