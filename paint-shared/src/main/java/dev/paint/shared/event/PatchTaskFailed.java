package dev.paint.shared.event;

import java.time.Instant;

/**
 * A patch task ended without a promotion. The payload of {@link Topics#PATCH_TASK_FAILED}.
 *
 * @param taskId the task's id, or null when the event was too malformed to carry one
 * @param stage the service stage that failed: training, interpolation, evaluation or promotion
 * @param reason what went wrong and what to do, in one message
 */
public record PatchTaskFailed(String taskId, String modelName, String stage, String reason, Instant failedAt) {}
