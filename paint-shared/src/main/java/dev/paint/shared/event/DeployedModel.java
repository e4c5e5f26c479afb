package dev.paint.shared.event;

import dev.paint.shared.model.EncoderSpec;
import java.util.List;

/**
 * The model version a patch task started from, as the registry described it when training began. Later stages mix
 * against exactly this version, whatever is deployed by the time they run.
 *
 * @param rootVersion the first version of the lineage, the reference for the constrained selection rule
 * @param rootEncoder that version's encoder checkpoint
 */
public record DeployedModel(
    String modelName,
    int version,
    CheckpointRef encoder,
    EncoderSpec architecture,
    List<TaskHead> tasks,
    int rootVersion,
    CheckpointRef rootEncoder) {

  public DeployedModel {
    EventValidation.requireId(modelName, "base.modelName");
    EventValidation.requireNonNull(encoder, "base.encoder");
    EventValidation.requireNonNull(architecture, "base.architecture");
    EventValidation.requireNonEmpty(tasks, "base.tasks");
    EventValidation.requireNonNull(rootEncoder, "base.rootEncoder");
    tasks = List.copyOf(tasks);
  }
}
