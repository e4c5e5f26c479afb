package dev.paint.registry.domain;

import java.time.Instant;

/**
 * One move of a model's alias, as recorded in its alias history. The latest change of the {@code deployed} alias is
 * also the alias pointer itself.
 *
 * @param previousVersion the version the alias pointed at before, null for the model's first deployment
 * @param reason {@value #REASON_IMPORT}, {@value #REASON_PATCH}, {@value #REASON_MANUAL} or {@value #REASON_ROLLBACK}
 * @param taskId the patch task that caused the move, null for an import, a manual promotion or a rollback
 * @param note free text sent with the request of a manual promotion or a rollback, null otherwise
 */
public record AliasChange(
    String alias, int version, Integer previousVersion, String reason, String taskId, String note, Instant changedAt) {

  /** The alias the trainer patches and every client serves. */
  public static final String DEPLOYED = "deployed";

  public static final String REASON_IMPORT = "import";
  public static final String REASON_PATCH = "patch";
  public static final String REASON_MANUAL = "manual";
  public static final String REASON_ROLLBACK = "rollback";
}
