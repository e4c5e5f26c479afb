package dev.paint.registry.domain;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.model.EncoderSpec;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable version of a registered model: an encoder checkpoint and the classification head of every task it
 * handles. Versions are numbered from 1 per model and never change once stored. The {@code deployed} alias points at
 * one of them.
 *
 * @param tasks every task the version handles. A patch appends its task's head, or replaces an earlier head of the
 *     same task.
 * @param lineage how the version was patched, null for an imported root version
 * @param accuracy per task accuracies measured when the version was chosen, empty when an import reported none
 * @param rootVersion the first version of this version's lineage, the reference for the constrained selection rule
 * @param source {@value #SOURCE_IMPORT} or {@value #SOURCE_PATCH}
 * @param createdAt when the registry stored the version, in milliseconds
 */
public record ModelVersion(
    String modelName,
    int version,
    CheckpointRef encoder,
    EncoderSpec architecture,
    List<TaskHead> tasks,
    Lineage lineage,
    Map<String, TaskAccuracy> accuracy,
    int rootVersion,
    String source,
    Instant createdAt) {

  public static final String SOURCE_IMPORT = "import";
  public static final String SOURCE_PATCH = "patch";

  public ModelVersion {
    EventValidation.requireId(modelName, "modelName");
    if (version < 1 || rootVersion < 1 || rootVersion > version) {
      throw new IllegalArgumentException(
          "Invalid model version " + version + " of model '" + modelName + "' with rootVersion " + rootVersion
              + ": versions start at 1 and the root version cannot be newer than the version");
    }
    EventValidation.requireNonNull(encoder, "encoder");
    EventValidation.requireNonNull(architecture, "architecture");
    EventValidation.requireNonEmpty(tasks, "tasks");
    EventValidation.requireText(source, "source");
    EventValidation.requireNonNull(createdAt, "createdAt");
    tasks = List.copyOf(tasks);
    // Sorted by task name so that the stored JSON and the REST output are stable.
    accuracy = accuracy == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(accuracy));
  }
}
