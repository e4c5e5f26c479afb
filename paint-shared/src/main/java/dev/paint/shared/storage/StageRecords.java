package dev.paint.shared.storage;

import dev.paint.shared.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
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

  /**
   * Lists the tasks of {@code modelName} that passed {@code startedStage} but have no {@code closedStage} record yet,
   * that is the model's tasks still in flight.
   */
  public List<String> openTasks(String modelName, String startedStage, String closedStage) {
    String prefix = "tasks/" + modelName + "/";
    Set<String> started = new TreeSet<>();
    Set<String> closed = new TreeSet<>();
    for (String key : store.list(prefix)) {
      String[] parts = key.substring(prefix.length()).split("/");
      if (parts.length != 3 || !parts[1].equals("stages")) {
        continue;
      }
      if (parts[2].equals(startedStage + ".json")) {
        started.add(parts[0]);
      } else if (parts[2].equals(closedStage + ".json")) {
        closed.add(parts[0]);
      }
    }
    started.removeAll(closed);
    return List.copyOf(started);
  }

  /**
   * Lists every task that has at least one stage record, across all models, with the names of its recorded stages.
   * A service reads it at startup to resume the tasks it recorded but did not finish.
   */
  public List<TaskStages> allTasks() {
    String prefix = "tasks/";
    Map<String, TaskStages> tasks = new TreeMap<>();
    for (String key : store.list(prefix)) {
      String[] parts = key.substring(prefix.length()).split("/");
      if (parts.length != 4 || !parts[2].equals("stages") || !parts[3].endsWith(".json")) {
        continue;
      }
      String stage = parts[3].substring(0, parts[3].length() - ".json".length());
      tasks.computeIfAbsent(parts[0] + "/" + parts[1], id -> new TaskStages(parts[0], parts[1], new TreeSet<>()))
          .stages().add(stage);
    }
    return List.copyOf(tasks.values());
  }

  /** The stages recorded for one task of one model. */
  public record TaskStages(String modelName, String taskId, Set<String> stages) {}

  static String key(String modelName, String taskId, String stage) {
    return "tasks/" + modelName + "/" + taskId + "/stages/" + stage + ".json";
  }
}
