package dev.paint.shared.event;

/** A checkpoint in the object store: its key and the SHA-256 that every reader verifies before use. */
public record CheckpointRef(String key, String sha256, long sizeBytes) {

  public CheckpointRef {
    EventValidation.requireText(key, "key");
    EventValidation.requireText(sha256, "sha256");
  }
}
