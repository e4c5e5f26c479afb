package dev.paint.registry.domain;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.model.EncoderSpec;
import java.util.List;
import java.util.Map;

/**
 * A request to register an encoder checkpoint that is already in the object store as a new model version.
 *
 * @param encoder the encoder checkpoint with its expected SHA-256, or null when {@code encoderKey} is given
 * @param encoderKey the encoder's object key alone, for a caller that trusts the stored manifest's SHA-256
 * @param tasks the supported tasks with their heads, each head already in the object store
 * @param accuracy optional per task accuracies, keyed by task name
 * @param promote whether to point the {@code deployed} alias at the new version, where null means true. The first
 *     version of a model is always deployed.
 */
public record RegisterModelVersion(
    CheckpointRef encoder,
    String encoderKey,
    EncoderSpec architecture,
    List<TaskHead> tasks,
    Map<String, TaskAccuracy> accuracy,
    Boolean promote) {

  public boolean promoteOrDefault() {
    return promote == null || promote;
  }
}
