package dev.paint.shared.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A model version became the deployed one. The payload of {@link Topics#MODEL_PROMOTED}, for any service that serves
 * the model.
 *
 * @param previousVersion the version deployed before, null for a model's first version
 * @param taskId the patch task that produced this version, null for an imported version
 * @param tasks every task the version handles, with its head
 * @param accuracy per task accuracies recorded for the version
 * @param reason why it was promoted: "patch", "import", "manual" or "rollback"
 */
public record ModelPromoted(
    String modelName,
    int version,
    Integer previousVersion,
    String taskId,
    Double alpha,
    CheckpointRef encoder,
    List<TaskHead> tasks,
    Map<String, TaskAccuracy> accuracy,
    String reason,
    Instant promotedAt) {}
