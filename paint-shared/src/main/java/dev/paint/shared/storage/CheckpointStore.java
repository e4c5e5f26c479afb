package dev.paint.shared.storage;

import dev.paint.shared.checkpoint.CheckpointIntegrityException;
import dev.paint.shared.checkpoint.CheckpointManifest;
import dev.paint.shared.event.CheckpointRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Safetensors checkpoints in the object store, each with a manifest object beside it ({@code <key>.manifest.json})
 * recording its SHA-256, size, tensor names, shapes and dtypes. Readers verify the file against both the manifest and
 * the SHA-256 that the event carried, so a half-written or swapped object is never used.
 */
public final class CheckpointStore {

  public static final String MANIFEST_SUFFIX = ".manifest.json";

  private final ObjectStore store;

  public CheckpointStore(ObjectStore store) {
    this.store = store;
  }

  /**
   * Uploads the checkpoint, checks the stored size, then uploads its manifest; only then is the returned reference
   * safe to publish. Readers find no manifest for a checkpoint whose upload was cut short, and they verify the SHA-256
   * of what they download.
   *
   * @throws CheckpointIntegrityException when the stored object's size differs from the local file's
   */
  public CheckpointRef upload(String key, Path file) {
    CheckpointManifest manifest = CheckpointManifest.describe(file);
    store.putFile(key, file);

    long stored = store.size(key);
    if (stored != manifest.sizeBytes()) {
      throw new CheckpointIntegrityException(
          "Checkpoint s3://" + store.bucket() + "/" + key + " has " + stored + " bytes after upload but " + file
              + " has " + manifest.sizeBytes() + "; the upload was truncated, so upload it again");
    }

    store.putBytes(key + MANIFEST_SUFFIX, manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
    return new CheckpointRef(key, manifest.sha256(), manifest.sizeBytes());
  }

  /**
   * Downloads {@code checkpoint} to {@code destination} and verifies it.
   *
   * @throws CheckpointIntegrityException when the file differs from its manifest or from the reference's SHA-256
   */
  public CheckpointManifest download(CheckpointRef checkpoint, Path destination) {
    CheckpointManifest manifest = manifest(checkpoint.key());
    if (!manifest.sha256().equals(checkpoint.sha256())) {
      throw new CheckpointIntegrityException(
          "Checkpoint s3://" + store.bucket() + "/" + checkpoint.key() + " has SHA-256 " + manifest.sha256()
              + " in its manifest but " + checkpoint.sha256() + " was expected; it was overwritten or the event is"
              + " stale");
    }
    store.getFile(checkpoint.key(), destination);
    manifest.verify(destination);
    return manifest;
  }

  public CheckpointManifest manifest(String key) {
    byte[] json = store.getBytes(key + MANIFEST_SUFFIX);
    return CheckpointManifest.fromJson(new String(json, StandardCharsets.UTF_8));
  }

  /** Returns the reference of a stored checkpoint, or null when it or its manifest is missing. */
  public CheckpointRef find(String key) {
    if (!store.exists(key + MANIFEST_SUFFIX) || !store.exists(key)) {
      return null;
    }
    CheckpointManifest manifest = manifest(key);
    return new CheckpointRef(key, manifest.sha256(), manifest.sizeBytes());
  }

  public ObjectStore objectStore() {
    return store;
  }
}
