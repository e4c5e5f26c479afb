package dev.paint.shared.event;

/**
 * CloudEvents {@code type} values. The suffix is the payload's schema version: a consumer rejects a version it does not
 * know instead of guessing at its fields.
 */
public final class EventTypes {

  public static final String SOURCE_PREFIX = "urn:paint:";

  public static final String PATCH_TASK_SUBMITTED = "dev.paint.patch-task.submitted.v1";
  public static final String ENCODER_FINE_TUNED = "dev.paint.encoder.fine-tuned.v1";
  public static final String CANDIDATES_INTERPOLATED = "dev.paint.candidates.interpolated.v1";
  public static final String CANDIDATES_REQUESTED = "dev.paint.candidates.requested.v1";
  public static final String CANDIDATE_SELECTED = "dev.paint.candidate.selected.v1";
  public static final String MODEL_PROMOTED = "dev.paint.model.promoted.v1";
  public static final String PATCH_TASK_FAILED = "dev.paint.patch-task.failed.v1";

  private EventTypes() {}
}
