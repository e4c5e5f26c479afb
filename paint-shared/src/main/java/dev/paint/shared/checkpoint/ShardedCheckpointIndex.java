package dev.paint.shared.checkpoint;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index file of a sharded checkpoint, {@code model.safetensors.index.json} in the layout that Hugging Face
 * writes: {@code {"metadata": {"total_size": N}, "weight_map": {tensor name: shard file name}}}.
 *
 * <p>Parsing treats the file as untrusted. Shard names must be plain file names in the index's directory, so an
 * index can never make a reader open a file elsewhere. {@code total_size} is read but not compared with the
 * shards, because writers disagree on whether it counts tensors that share storage.
 */
public record ShardedCheckpointIndex(Map<String, String> weightMap, long totalSize) {

  /** Largest index file read, which bounds the memory that parsing an untrusted file takes. */
  static final long MAX_INDEX_BYTES = SafetensorsFile.DEFAULT_MAX_HEADER_BYTES;

  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  public ShardedCheckpointIndex {
    weightMap = Map.copyOf(weightMap);
  }

  /**
   * Reads and validates an index file.
   *
   * @throws CheckpointFormatException when the file is not a valid index
   * @throws UncheckedIOException when the file cannot be read
   */
  public static ShardedCheckpointIndex read(Path indexFile) {
    JsonNode root = parse(indexFile);
    JsonNode weightMap = root.get("weight_map");
    if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
      throw invalid(indexFile, "it has no \"weight_map\" object naming the shard of each tensor.");
    }

    Map<String, String> shardsByTensor = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> entries = weightMap.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      if (!entry.getValue().isTextual()) {
        throw invalid(indexFile, "tensor '" + entry.getKey() + "' maps to " + entry.getValue()
            + " instead of a shard file name.");
      }
      shardsByTensor.put(entry.getKey(), requirePlainFileName(indexFile, entry.getKey(), entry.getValue().asText()));
    }
    return new ShardedCheckpointIndex(shardsByTensor, totalSize(indexFile, root));
  }

  /** Writes this index as JSON, tensors sorted by name as Hugging Face writes them. */
  void write(Path indexFile) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("metadata").put("total_size", totalSize);
    ObjectNode weights = root.putObject("weight_map");
    new TreeMap<>(weightMap).forEach(weights::put);
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(indexFile.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing checkpoint index " + indexFile + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Returns {@code fileName} when it names a file in the index's own directory.
   *
   * @throws CheckpointFormatException when it is empty, a path or a special name
   */
  static String requirePlainFileName(Path indexFile, String tensor, String fileName) {
    boolean plain = !fileName.isEmpty() && !fileName.equals(".") && !fileName.equals("..")
        && fileName.indexOf('/') < 0 && fileName.indexOf('\\') < 0 && fileName.indexOf('\0') < 0;
    if (!plain) {
      throw invalid(indexFile, "tensor '" + tensor + "' maps to shard '" + fileName
          + "', which is not a plain file name; shards must sit in the index's directory.");
    }
    return fileName;
  }

  private static JsonNode parse(Path indexFile) {
    try {
      long size = Files.size(indexFile);
      if (size > MAX_INDEX_BYTES) {
        throw invalid(indexFile, "it has " + size + " bytes, more than the " + MAX_INDEX_BYTES
            + " bytes an index is allowed; it is probably not an index file.");
      }
      JsonNode root = JSON.readTree(Files.readAllBytes(indexFile));
      if (root == null || !root.isObject()) {
        throw invalid(indexFile, "it is not a JSON object.");
      }
      return root;
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new CheckpointFormatException("Invalid checkpoint index " + indexFile + ": it is not valid JSON ("
          + e.getOriginalMessage() + "). Export the checkpoint again.", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading checkpoint index " + indexFile + " failed: " + e.getMessage(), e);
    }
  }

  private static long totalSize(Path indexFile, JsonNode root) {
    JsonNode totalSize = root.path("metadata").path("total_size");
    if (totalSize.isMissingNode()) {
      return -1;
    }
    if (!totalSize.canConvertToExactIntegral() || !totalSize.canConvertToLong() || totalSize.asLong() < 0) {
      throw invalid(indexFile, "metadata.total_size is " + totalSize + ", not a byte count.");
    }
    return totalSize.asLong();
  }

  static CheckpointFormatException invalid(Path indexFile, String problem) {
    return new CheckpointFormatException("Invalid checkpoint index " + indexFile + ": " + problem
        + " Export the checkpoint again with a safetensors writer.");
  }
}
