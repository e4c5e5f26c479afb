package dev.paint.shared.storage;

import dev.paint.shared.json.Json;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The result event of each pipeline stage of a patch task, stored once the stage's output is durable. Kafka delivers
 * at least once, so a stage that finds its record republishes it instead of doing the work again: a redelivered event
 * costs no second training and writes no second checkpoint.
 */
public final class StageRecords {

  private static final Logger LOG = Logger.getLogger(StageRecords.class);

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

  /**
   * Returns the stored result of {@code stage}, or runs {@code work}, stores its result and returns it. A stage that
   * finished before, for an event delivered again, is not run twice.
   */
  public <T> T once(String modelName, String taskId, String stage, Class<T> type, Supplier<T> work) {
    Optional<T> done = find(modelName, taskId, stage, type);
    if (done.isPresent()) {
      LOG.infof("Patch task %s of model %s already passed stage %s; reusing the stored result", taskId, modelName,
          stage);
      return done.get();
    }
    T result = work.get();
    save(modelName, taskId, stage, result);
    return result;
  }

  static String key(String modelName, String taskId, String stage) {
    return "tasks/" + modelName + "/" + taskId + "/stages/" + stage + ".json";
  }
}
