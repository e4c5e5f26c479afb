package dev.paint.shared.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.paint.shared.json.Json;
import java.nio.file.Path;
import java.util.Map;

/**
 * The manifest of a checkpoint in either form: {@link CheckpointManifest} for one safetensors file,
 * {@link ShardedCheckpointManifest} for an index file and its shards. Like {@link Checkpoints#open(Path)},
 * {@link #describe(Path)} chooses the form by the file name.
 */
public sealed interface Manifest permits CheckpointManifest, ShardedCheckpointManifest {

  /** Returns the checkpoint's lowercase hexadecimal SHA-256, the value that a {@code CheckpointRef} carries. */
  String sha256();

  /** Returns the checkpoint's size in bytes: the file's, or the index's and all shards' together. */
  long sizeBytes();

  /** Returns the {@code __metadata__} map of the checkpoint, empty when there is none. */
  Map<String, String> metadata();

  /**
   * Checks that the checkpoint at {@code path} is the one this manifest describes.
   *
   * @throws CheckpointIntegrityException naming the first difference and the file it is in
   */
  void verify(Path path);

  /** Returns this manifest as the JSON stored beside the checkpoint. */
  default String toJson() {
    try {
      return Json.mapper().writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Serialising the manifest of checkpoint " + sha256() + " failed", e);
    }
  }

  /**
   * Describes the checkpoint at {@code path}: a sharded checkpoint when the name ends with
   * {@value Checkpoints#INDEX_SUFFIX}, else one safetensors file.
   *
   * @throws CheckpointFormatException when the checkpoint is invalid
   */
  static Manifest describe(Path path) {
    return Checkpoints.isSharded(path) ? ShardedCheckpointManifest.describe(path) : CheckpointManifest.describe(path);
  }

  /**
   * Parses the manifest of the checkpoint named {@code checkpointName}, a file name or an object key, whose
   * suffix selects the form of manifest to expect.
   *
   * @throws CheckpointFormatException when the JSON is not a valid manifest of that form
   */
  static Manifest fromJson(String checkpointName, String json) {
    return Checkpoints.isSharded(checkpointName)
        ? ShardedCheckpointManifest.fromJson(json)
        : CheckpointManifest.fromJson(json);
  }

  /**
   * Parses {@code json} as a manifest of {@code type}; {@code form} names the checkpoint's form in the error.
   *
   * @throws CheckpointFormatException when the JSON is malformed or is not a valid manifest of that type
   */
  static <T extends Manifest> T parse(String json, Class<T> type, String form) {
    try {
      return Json.mapper().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new CheckpointFormatException("Invalid " + form + " manifest: " + e.getOriginalMessage() + ". Build the"
          + " manifest with " + type.getSimpleName() + ".describe() and toJson().", e);
    }
  }
}
