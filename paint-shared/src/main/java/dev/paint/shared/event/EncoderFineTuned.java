package dev.paint.shared.event;

/**
 * The base encoder was fine-tuned on the patch task. The payload of {@link Topics#ENCODER_FINE_TUNED}.
 *
 * @param patchHead the patch task's frozen head, as stored for the new version
 * @param fineTuned the fine-tuned encoder checkpoint
 */
public record EncoderFineTuned(
    PatchTaskSubmitted task,
    DeployedModel base,
    TaskHead patchHead,
    CheckpointRef fineTuned,
    TrainingSummary training) {

  public EncoderFineTuned {
    EventValidation.requireNonNull(task, "task");
    EventValidation.requireNonNull(base, "base");
    EventValidation.requireNonNull(patchHead, "patchHead");
    EventValidation.requireNonNull(fineTuned, "fineTuned");
  }
}
