package dev.paint.shared.storage;

import dev.paint.shared.checkpoint.Checkpoints;
import java.util.Locale;

/** The object store layout: where each service writes and reads. */
public final class ObjectKeys {

  private ObjectKeys() {}

  /** Returns the key of a patch task's fine-tuned encoder. */
  public static String fineTunedEncoder(String modelName, String taskId) {
    return "tasks/" + modelName + "/" + taskId + "/fine-tuned.safetensors";
  }

  /** Returns the index key of a patch task's sharded fine-tuned encoder, in a folder of its own with its shards. */
  public static String fineTunedShardedEncoder(String modelName, String taskId) {
    return "tasks/" + modelName + "/" + taskId + "/fine-tuned/encoder" + Checkpoints.INDEX_SUFFIX;
  }

  /**
   * Returns the key of a patch task's candidate for one alpha. The alpha is printed with two decimals, so the finest
   * grid step is 0.01.
   */
  public static String candidate(String modelName, String taskId, double alpha) {
    return candidatePrefix(modelName, taskId, alpha) + ".safetensors";
  }

  /**
   * Returns the index key of a patch task's sharded candidate for one alpha. Each sharded candidate gets a folder of
   * its own, because its shards, stored beside the index, have the base's shard file names.
   */
  public static String shardedCandidate(String modelName, String taskId, double alpha) {
    return candidatePrefix(modelName, taskId, alpha) + "/encoder" + Checkpoints.INDEX_SUFFIX;
  }

  private static String candidatePrefix(String modelName, String taskId, double alpha) {
    return "tasks/" + modelName + "/" + taskId + "/candidates/alpha-" + String.format(Locale.ROOT, "%.2f", alpha);
  }

  /** Returns the key of a task's frozen classification head, stored once with the model. */
  public static String head(String modelName, String task) {
    return "models/" + modelName + "/heads/" + task + ".safetensors";
  }

  /** An encoder checkpoint uploaded to be registered as a model version. */
  public static String importedEncoder(String modelName, String uploadId) {
    return "models/" + modelName + "/imports/" + uploadId + "/encoder.safetensors";
  }

  /** Returns the index key of a sharded encoder uploaded to be registered; its shards are stored beside it. */
  public static String importedShardedEncoder(String modelName, String uploadId) {
    return "models/" + modelName + "/imports/" + uploadId + "/encoder" + Checkpoints.INDEX_SUFFIX;
  }
}
