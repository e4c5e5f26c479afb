package dev.paint.shared.storage;

import dev.paint.shared.checkpoint.CheckpointIntegrityException;
import dev.paint.shared.checkpoint.CheckpointManifest;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.Manifest;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest.ShardEntry;
import dev.paint.shared.event.CheckpointRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Safetensors checkpoints in the object store, each with a manifest object beside it ({@code <key>.manifest.json})
 * recording its SHA-256, size, tensor names, shapes and dtypes. Readers verify the checkpoint against both the
 * manifest and the SHA-256 that the event carried, so a half-written or swapped object is never used.
 *
 * <p>A key ending with {@value Checkpoints#INDEX_SUFFIX} is the index file of a sharded checkpoint, and its
 * shards are stored beside it: shard {@code model-00001-of-00002.safetensors} of key {@code a/b/x.safetensors.index.json}
 * is {@code a/b/model-00001-of-00002.safetensors}. The manifest ({@link ShardedCheckpointManifest}) then records the
 * SHA-256 and size of the index and of each shard, and the checkpoint's SHA-256 is derived from those digests.
 * Each sharded checkpoint needs a key prefix of its own, because shards of the same name beside each other would
 * replace one another. {@link #upload} rejects a folder that already contains another sharded checkpoint, and a
 * single file stored under the name of another checkpoint's shard.
 */
public final class CheckpointStore {

  public static final String MANIFEST_SUFFIX = ".manifest.json";

  /** Extension of a single-file checkpoint's local file. */
  public static final String FILE_SUFFIX = ".safetensors";

  private final ObjectStore store;

  public CheckpointStore(ObjectStore store) {
    this.store = store;
  }

  /**
   * Uploads the checkpoint (for a sharded one every shard, then the index), checks each stored size, then uploads
   * its manifest. Only then is the returned reference safe to publish. Readers find no manifest for a checkpoint
   * whose upload was cut short, and they verify the SHA-256 of what they download.
   *
   * @param file a safetensors file, or the index file of a sharded checkpoint when {@code key} is one
   * @throws IllegalArgumentException when one of {@code key} and {@code file} names a sharded checkpoint and the
   *     other does not, or when the upload would replace an object of another checkpoint in the folder of {@code key}
   * @throws CheckpointIntegrityException when a stored object's size differs from the local file's
   */
  public CheckpointRef upload(String key, Path file) {
    requireSameForm(key, file);
    Manifest manifest = Manifest.describe(file);

    if (manifest instanceof ShardedCheckpointManifest sharded) {
      requireOwnFolder(key, sharded);
      for (ShardEntry shard : sharded.shards()) {
        putChecked(shardKey(key, shard.file()), file.resolveSibling(shard.file()), shard.sizeBytes());
      }
      putChecked(key, file, sharded.index().sizeBytes());
    } else {
      requireNoShardAt(key);
      putChecked(key, file, manifest.sizeBytes());
    }

    store.putBytes(key + MANIFEST_SUFFIX, manifest.toJson().getBytes(StandardCharsets.UTF_8), "application/json");
    return new CheckpointRef(key, manifest.sha256(), manifest.sizeBytes());
  }

  /**
   * Downloads {@code checkpoint} to {@code destination} and verifies it. The shards of a sharded checkpoint are
   * written beside {@code destination}, under the file names its index uses.
   *
   * @param destination the local file, whose name must end with {@value Checkpoints#INDEX_SUFFIX} exactly when
   *     the checkpoint is sharded; see {@link #localPath}
   * @throws CheckpointIntegrityException when a file differs from the manifest, a shard is missing from the store,
   *     or the manifest's SHA-256 differs from the reference's
   */
  public Manifest download(CheckpointRef checkpoint, Path destination) {
    requireSameForm(checkpoint.key(), destination);
    Manifest manifest = manifest(checkpoint.key());
    if (!manifest.sha256().equals(checkpoint.sha256())) {
      throw new CheckpointIntegrityException(
          "Checkpoint " + uri(checkpoint.key()) + " has SHA-256 " + manifest.sha256() + " in its manifest but "
              + checkpoint.sha256() + " was expected; it was overwritten or the event is stale");
    }

    if (manifest instanceof ShardedCheckpointManifest sharded) {
      createParent(destination);
      for (ShardEntry shard : sharded.shards()) {
        getShard(checkpoint.key(), shard.file(), destination.resolveSibling(shard.file()));
      }
    }
    store.getFile(checkpoint.key(), destination);
    manifest.verify(destination);
    return manifest;
  }

  /**
   * Returns where to download {@code checkpoint} under {@code directory}: {@code <name>.safetensors} for a single
   * file, and for a sharded checkpoint the index's file name in a subdirectory {@code <name>}, so that the shards of
   * two checkpoints with the same shard names do not meet.
   */
  public static Path localPath(CheckpointRef checkpoint, Path directory, String name) {
    if (!Checkpoints.isSharded(checkpoint.key())) {
      return directory.resolve(name + FILE_SUFFIX);
    }
    String key = checkpoint.key();
    return directory.resolve(name).resolve(key.substring(key.lastIndexOf('/') + 1));
  }

  /**
   * Returns the manifest of the checkpoint at {@code key}, a {@link ShardedCheckpointManifest} when the key ends with
   * {@value Checkpoints#INDEX_SUFFIX}, else a {@link CheckpointManifest}.
   *
   * @throws ObjectNotFoundException when there is no manifest
   */
  public Manifest manifest(String key) {
    byte[] json = store.getBytes(key + MANIFEST_SUFFIX);
    return Manifest.fromJson(key, new String(json, StandardCharsets.UTF_8));
  }

  /** Returns the reference of a stored checkpoint, or null when it, one of its shards or its manifest is missing. */
  public CheckpointRef find(String key) {
    if (!store.exists(key + MANIFEST_SUFFIX) || !store.exists(key)) {
      return null;
    }
    Manifest manifest = manifest(key);
    if (manifest instanceof ShardedCheckpointManifest sharded) {
      for (ShardEntry shard : sharded.shards()) {
        if (!store.exists(shardKey(key, shard.file()))) {
          return null;
        }
      }
    }
    return new CheckpointRef(key, manifest.sha256(), manifest.sizeBytes());
  }

  public ObjectStore objectStore() {
    return store;
  }

  /** Returns the key of shard {@code fileName} of the sharded checkpoint whose index is at {@code indexKey}. */
  public static String shardKey(String indexKey, String fileName) {
    return indexKey.substring(0, indexKey.lastIndexOf('/') + 1) + fileName;
  }

  /**
   * Checks that the shards of the checkpoint at {@code key} replace no object of another checkpoint in its folder:
   * the shards of another sharded checkpoint, which may have the same names, or a single-file checkpoint stored under
   * a shard's name. Uploading the same key again is allowed, so that a failed upload can be retried.
   */
  private void requireOwnFolder(String key, ShardedCheckpointManifest sharded) {
    List<String> stored = storedBeside(key);

    for (String other : stored) {
      if (!other.equals(key) && Checkpoints.isSharded(other)) {
        throw new IllegalArgumentException("Sharded checkpoint " + uri(key) + " would share its folder with the"
            + " sharded checkpoint " + uri(other) + ", whose shards may have the same names; give each sharded"
            + " checkpoint a key prefix of its own");
      }
    }
    for (ShardEntry shard : sharded.shards()) {
      String shardKey = shardKey(key, shard.file());
      if (stored.contains(shardKey + MANIFEST_SUFFIX)) {
        throw new IllegalArgumentException("Shard " + shard.file() + " of sharded checkpoint " + uri(key)
            + " would replace the checkpoint " + uri(shardKey) + "; give the sharded checkpoint a key prefix of its"
            + " own");
      }
    }
  }

  /** Checks that a single-file checkpoint at {@code key} replaces no shard of a sharded checkpoint in its folder. */
  private void requireNoShardAt(String key) {
    String fileName = key.substring(key.lastIndexOf('/') + 1);
    List<String> stored = storedBeside(key);

    for (String other : stored) {
      if (!Checkpoints.isSharded(other) || !stored.contains(other + MANIFEST_SUFFIX)) {
        continue;
      }
      ShardedCheckpointManifest sharded = (ShardedCheckpointManifest) manifest(other);
      if (sharded.shards().stream().anyMatch(shard -> shard.file().equals(fileName))) {
        throw new IllegalArgumentException("Checkpoint " + uri(key) + " would replace a shard of the sharded"
            + " checkpoint " + uri(other) + "; upload it under another key");
      }
    }
  }

  /** Returns the keys stored in the folder of {@code key}, without those in its subfolders. */
  private List<String> storedBeside(String key) {
    String folder = shardKey(key, "");
    // NOTE: the upload checks read this listing without a lock, so two uploads into one folder at once both pass.
    return store.list(folder).stream()
        .filter(storedKey -> storedKey.indexOf('/', folder.length()) < 0)
        .toList();
  }

  private void putChecked(String key, Path file, long expectedSize) {
    if (key.endsWith(MANIFEST_SUFFIX)) {
      throw new IllegalArgumentException("Cannot upload " + file + " as s3://" + store.bucket() + "/" + key
          + ": names ending with " + MANIFEST_SUFFIX + " are reserved for manifests; rename the shard and its"
          + " entries in the index");
    }
    store.putFile(key, file);

    long stored = store.size(key);
    if (stored != expectedSize) {
      throw new CheckpointIntegrityException(
          "Checkpoint " + uri(key) + " has " + stored + " bytes after upload but " + file + " has " + expectedSize
              + "; the upload was truncated, so upload it again");
    }
  }

  private void getShard(String indexKey, String fileName, Path destination) {
    String key = shardKey(indexKey, fileName);
    try {
      store.getFile(key, destination);
    } catch (ObjectNotFoundException e) {
      throw new CheckpointIntegrityException("Shard " + uri(key) + " of checkpoint " + uri(indexKey)
          + " is missing although its manifest lists it; it was deleted after upload, so upload the checkpoint"
          + " again", e);
    }
  }

  private static void requireSameForm(String key, Path file) {
    if (Checkpoints.isSharded(key) != Checkpoints.isSharded(file)) {
      throw new IllegalArgumentException("Checkpoint key " + key + " and local file " + file + " disagree on the"
          + " checkpoint's form: a sharded checkpoint's key and index file both end with " + Checkpoints.INDEX_SUFFIX
          + ", a single file's neither; use CheckpointStore.localPath for the local name");
    }
  }

  private static void createParent(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create directory " + parent + " for the shards of " + file, e);
    }
  }

  private String uri(String key) {
    return "s3://" + store.bucket() + "/" + key;
  }
}
