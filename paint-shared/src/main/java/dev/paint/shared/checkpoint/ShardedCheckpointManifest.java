package dev.paint.shared.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.paint.shared.checkpoint.CheckpointManifest.TensorEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Description of a sharded checkpoint (an index file and its safetensors shards, see {@link ShardedCheckpoint}):
 * the SHA-256 and size of the index and of every shard, each shard's tensors, and one SHA-256 for the whole
 * checkpoint.
 *
 * <p>The checkpoint's SHA-256 is the SHA-256 of the UTF-8 text that {@code sha256sum} prints for its files, one
 * line {@code <hex digest>  <name>\n} each: first the index under the name {@value #INDEX_NAME}, then the shards
 * under their file names, in file-name order. The index file's own name does not count, so the same checkpoint
 * has the same SHA-256 wherever it is stored. Because the text covers the index and every shard, the digest
 * changes when any byte of any file changes.
 *
 * @param formatVersion version of this manifest format, {@value #FORMAT_VERSION}
 * @param sha256 lowercase hexadecimal SHA-256 of the checkpoint as defined above
 * @param sizeBytes bytes of the index and all shards together
 * @param index SHA-256 and size of the index file
 * @param shards every shard the index names, in file-name order
 * @param metadata the {@code __metadata__} map of the first shard
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShardedCheckpointManifest(
    int formatVersion,
    String sha256,
    long sizeBytes,
    IndexEntry index,
    List<ShardEntry> shards,
    Map<String, String> metadata) implements Manifest {

  /**
   * The manifest format of sharded checkpoints. Single-file manifests keep version
   * {@value CheckpointManifest#FORMAT_VERSION}, so a build that reads only that version rejects a sharded manifest
   * by its version instead of misreading it.
   */
  public static final int FORMAT_VERSION = 2;

  /** The name under which the index enters the checkpoint's SHA-256. */
  public static final String INDEX_NAME = "index";

  /**
   * SHA-256 and size of the index file.
   *
   * @param sha256 lowercase hexadecimal SHA-256 of the file
   * @param sizeBytes file size in bytes
   */
  public record IndexEntry(String sha256, long sizeBytes) {

    public IndexEntry {
      requireDigest(sha256, "index");
      requireSize(sizeBytes, "index");
    }
  }

  /**
   * One shard: its file name beside the index, SHA-256, size and tensors.
   *
   * @param file file name in the index's directory
   * @param sha256 lowercase hexadecimal SHA-256 of the file
   * @param sizeBytes file size in bytes
   * @param tensors dtype and shape per tensor name, in the order of the tensor data in the shard
   */
  public record ShardEntry(String file, String sha256, long sizeBytes, Map<String, TensorEntry> tensors) {

    public ShardEntry {
      Objects.requireNonNull(file, "file");
      requirePlainFileName(file);
      requireDigest(sha256, "shard " + file);
      requireSize(sizeBytes, "shard " + file);
      Objects.requireNonNull(tensors, "tensors");
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
  }

  public ShardedCheckpointManifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("Sharded checkpoint manifest format version " + formatVersion
          + " is not supported; this build reads version " + FORMAT_VERSION + " for sharded checkpoints.");
    }
    Objects.requireNonNull(index, "index");
    Objects.requireNonNull(shards, "shards");
    shards = List.copyOf(shards);
    requireDistinctShards(shards);
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));

    long expectedSize = totalSize(index, shards);
    if (sizeBytes != expectedSize) {
      throw new IllegalArgumentException("Sharded checkpoint manifest sizeBytes " + sizeBytes
          + " differs from the " + expectedSize + " bytes of its index and shards; the manifest was edited.");
    }
    String expectedSha256 = checkpointSha256(index, shards);
    if (!expectedSha256.equals(sha256)) {
      throw new IllegalArgumentException("Sharded checkpoint manifest sha256 '" + sha256 + "' differs from "
          + expectedSha256 + ", the SHA-256 of its index and shard digests; the manifest was edited.");
    }
  }

  /** Builds the manifest of these entries, computing the checkpoint's size and SHA-256. */
  public static ShardedCheckpointManifest of(IndexEntry index, List<ShardEntry> shards, Map<String, String> metadata) {
    List<ShardEntry> sorted = shards.stream().sorted(Comparator.comparing(ShardEntry::file)).toList();
    return new ShardedCheckpointManifest(FORMAT_VERSION, checkpointSha256(index, sorted), totalSize(index, sorted),
        index, sorted, metadata);
  }

  /**
   * Describes a sharded checkpoint: validates its layout, hashes the index and every shard and lists each shard's
   * tensors.
   *
   * @throws CheckpointFormatException when the index or a shard is invalid or a shard is missing
   */
  public static ShardedCheckpointManifest describe(Path indexFile) {
    Path directory = indexFile.toAbsolutePath().getParent();
    List<ShardEntry> shards = new ArrayList<>();
    Map<String, String> metadata;
    try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(indexFile)) {
      for (CheckpointShard shard : checkpoint.shards()) {
        Path file = directory.resolve(shard.fileName());
        shards.add(new ShardEntry(shard.fileName(), CheckpointManifest.sha256Of(file),
            CheckpointManifest.sizeOf(file), CheckpointManifest.tensorEntries(shard.tensors())));
      }
      metadata = checkpoint.metadata();
    }

    IndexEntry index = new IndexEntry(CheckpointManifest.sha256Of(indexFile), CheckpointManifest.sizeOf(indexFile));
    return of(index, shards, metadata);
  }

  /**
   * Checks that the index file and the shards beside it are the checkpoint this manifest describes: same sizes,
   * same SHA-256 digests, the same shards in the index and the same tensors in each shard.
   *
   * @throws CheckpointIntegrityException naming the first file that differs and how
   */
  @Override
  public void verify(Path indexFile) {
    requireSameFile(indexFile, index.sizeBytes(), index.sha256());
    Path directory = indexFile.toAbsolutePath().getParent();
    for (ShardEntry shard : shards) {
      Path file = directory.resolve(shard.file());
      if (!Files.isRegularFile(file)) {
        throw CheckpointManifest.mismatch(indexFile, "its shard " + shard.file() + " is missing from " + directory);
      }
      requireSameFile(file, shard.sizeBytes(), shard.sha256());
    }

    try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(indexFile)) {
      requireSameShards(indexFile, checkpoint.shards());
    }
  }

  /**
   * Parses a manifest written by {@link #toJson()}.
   *
   * @throws CheckpointFormatException when the JSON is malformed, misses a field, has another format version or
   *     a size or SHA-256 that does not add up
   */
  public static ShardedCheckpointManifest fromJson(String json) {
    return Manifest.parse(json, ShardedCheckpointManifest.class, "sharded checkpoint");
  }

  /** Returns the SHA-256 of the {@code sha256sum} listing of the index and the shards, as the class describes. */
  static String checkpointSha256(IndexEntry index, List<ShardEntry> shards) {
    StringBuilder listing = new StringBuilder();
    listing.append(index.sha256()).append("  ").append(INDEX_NAME).append('\n');
    shards.stream().sorted(Comparator.comparing(ShardEntry::file))
        .forEach(shard -> listing.append(shard.sha256()).append("  ").append(shard.file()).append('\n'));

    MessageDigest digest = CheckpointManifest.newSha256();
    return HexFormat.of().formatHex(digest.digest(listing.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private void requireSameShards(Path indexFile, List<CheckpointShard> actualShards) {
    Set<String> expectedNames = new TreeSet<>();
    shards.forEach(shard -> expectedNames.add(shard.file()));
    Set<String> actualNames = new TreeSet<>();
    actualShards.forEach(shard -> actualNames.add(shard.fileName()));
    if (!expectedNames.equals(actualNames)) {
      throw CheckpointManifest.mismatch(indexFile, "its index names shards " + actualNames
          + " but the manifest lists " + expectedNames);
    }

    Path directory = indexFile.toAbsolutePath().getParent();
    for (CheckpointShard actual : actualShards) {
      ShardEntry expected = shard(actual.fileName());
      CheckpointManifest.requireSameTensors(directory.resolve(actual.fileName()), expected.tensors(),
          CheckpointManifest.tensorEntries(actual.tensors()));
    }
  }

  private ShardEntry shard(String file) {
    return shards.stream().filter(shard -> shard.file().equals(file)).findFirst().orElseThrow();
  }

  private static void requireSameFile(Path file, long expectedSize, String expectedSha256) {
    if (!Files.isRegularFile(file)) {
      throw CheckpointManifest.mismatch(file, "it does not exist");
    }
    long actualSize = CheckpointManifest.sizeOf(file);
    if (actualSize != expectedSize) {
      throw CheckpointManifest.mismatch(file, "it has " + actualSize + " bytes but the manifest expects "
          + expectedSize + " bytes");
    }
    String actualSha256 = CheckpointManifest.sha256Of(file);
    if (!actualSha256.equals(expectedSha256)) {
      throw CheckpointManifest.mismatch(file, "its SHA-256 is " + actualSha256 + " but the manifest expects "
          + expectedSha256);
    }
  }

  private static void requireDistinctShards(List<ShardEntry> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("Sharded checkpoint manifest lists no shards; a sharded checkpoint has"
          + " at least one.");
    }
    Set<String> files = new HashSet<>();
    Set<String> tensors = new HashSet<>();
    for (ShardEntry shard : shards) {
      if (!files.add(shard.file())) {
        throw new IllegalArgumentException("Sharded checkpoint manifest lists shard " + shard.file()
            + " twice; list each shard once.");
      }
      for (String tensor : shard.tensors().keySet()) {
        if (!tensors.add(tensor)) {
          throw new IllegalArgumentException("Sharded checkpoint manifest lists tensor '" + tensor
              + "' in more than one shard; each tensor is in exactly one shard.");
        }
      }
    }
  }

  private static long totalSize(IndexEntry index, List<ShardEntry> shards) {
    long total = index.sizeBytes();
    for (ShardEntry shard : shards) {
      total = Math.addExact(total, shard.sizeBytes());
    }
    return total;
  }

  private static void requirePlainFileName(String file) {
    try {
      ShardedCheckpointIndex.requirePlainFileName(Path.of(INDEX_NAME), "(any)", file);
    } catch (CheckpointFormatException e) {
      throw new IllegalArgumentException("Sharded checkpoint manifest lists shard '" + file
          + "', which is not a plain file name; shards sit in the index's directory.", e);
    }
  }

  private static void requireDigest(String sha256, String what) {
    if (sha256 == null || !CheckpointManifest.SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("Sharded checkpoint manifest has SHA-256 '" + sha256 + "' for " + what
          + ", which is not 64 lowercase hexadecimal digits.");
    }
  }

  private static void requireSize(long sizeBytes, String what) {
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("Sharded checkpoint manifest has a negative size " + sizeBytes + " for "
          + what + ".");
    }
  }
}
