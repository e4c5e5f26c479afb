package dev.paint.shared.storage;

import dev.paint.shared.json.Json;
import java.util.Optional;

/**
 * The result event of each pipeline stage of a patch task, stored once the stage's output is durable. Kafka delivers
 * at least once, so a stage that finds its record republishes it instead of doing the work again: a redelivered event
 * costs no second training and writes no second checkpoint.
 */
public final class StageRecords {

  private final ObjectStore store;

  public StageRecords(ObjectStore store) {
    this.store = store;
  }

  /** Returns the stored result of {@code stage} for the task, if that stage already completed. */
  public <T> Optional<T> find(String modelName, String taskId, String stage, Class<T> type) {
    String key = key(modelName, taskId, stage);
    if (!store.exists(key)) {
      return Optional.empty();
    }
    return Optional.of(Json.read(store.getBytes(key), type));
  }

  /** Stores the result of {@code stage}; call it after the stage's objects are written and before publishing. */
  public void save(String modelName, String taskId, String stage, Object result) {
    store.putJson(key(modelName, taskId, stage), result);
  }

  static String key(String modelName, String taskId, String stage) {
    return "tasks/" + modelName + "/" + taskId + "/stages/" + stage + ".json";
  }
}
