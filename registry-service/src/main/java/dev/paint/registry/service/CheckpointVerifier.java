package dev.paint.registry.service;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.storage.CheckpointStore;
import java.util.Optional;

/** Checks that checkpoints named by a request or an event are in the object store with the expected SHA-256. */
final class CheckpointVerifier {

  private final CheckpointLookup lookup;

  CheckpointVerifier(CheckpointLookup lookup) {
    this.lookup = lookup;
  }

  /** Returns the stored reference of {@code key}, or throws naming the key when it is missing. */
  CheckpointRef requireStored(String key, String description) {
    CheckpointRef stored = lookup.find(key);
    if (stored == null) {
      throw new InvalidRegistrationException(missing(key, description));
    }
    return stored;
  }

  /** Returns the stored reference of {@code expected}, or throws when it is missing or has another SHA-256. */
  CheckpointRef requireMatching(CheckpointRef expected, String description) {
    CheckpointRef stored = requireStored(expected.key(), description);
    Optional<String> mismatch = mismatch(expected, stored, description);
    if (mismatch.isPresent()) {
      throw new InvalidRegistrationException(mismatch.get());
    }
    return stored;
  }

  /** Returns why {@code expected} cannot be used, or empty when it is stored with the expected SHA-256. */
  Optional<String> problem(CheckpointRef expected, String description) {
    CheckpointRef stored = lookup.find(expected.key());
    if (stored == null) {
      return Optional.of(missing(expected.key(), description));
    }
    return mismatch(expected, stored, description);
  }

  private static Optional<String> mismatch(CheckpointRef expected, CheckpointRef stored, String description) {
    if (stored.sha256().equals(expected.sha256())) {
      return Optional.empty();
    }
    return Optional.of(
        description + " checkpoint '" + expected.key() + "' has SHA-256 " + stored.sha256() + " in its manifest, but "
            + expected.sha256() + " was expected: the object was overwritten after it was referenced; upload it again"
            + " under a new key");
  }

  private static String missing(String key, String description) {
    return description + " checkpoint '" + key + "' was not found in the object store (the file, one of its shards"
        + " or its " + CheckpointStore.MANIFEST_SUFFIX + " manifest is missing): upload it with CheckpointStore.upload"
        + " first";
  }
}
