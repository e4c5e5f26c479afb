package dev.paint.registry.service;

import dev.paint.registry.domain.ModelVersion;

/**
 * The result of {@link PromotionService#promote} for one selected candidate.
 *
 * @param version the promoted version, or for a duplicate the version that the task promoted before, else null
 * @param reason why the candidate was not promoted, or null when it was
 */
public record PromotionOutcome(Status status, ModelVersion version, String reason) {

  /** The outcome, with the value of the {@code outcome} tag of the {@code paint.promotions} counter. */
  public enum Status {
    PROMOTED("promoted"),
    DUPLICATE("duplicate"),
    REJECTED_STALE("rejected_stale"),
    FAILED("failed");

    private final String tag;

    Status(String tag) {
      this.tag = tag;
    }

    public String tag() {
      return tag;
    }
  }

  static PromotionOutcome promoted(ModelVersion version) {
    return new PromotionOutcome(Status.PROMOTED, version, null);
  }

  static PromotionOutcome duplicate(ModelVersion version) {
    return new PromotionOutcome(Status.DUPLICATE, version, null);
  }

  static PromotionOutcome rejected(Status status, String reason) {
    return new PromotionOutcome(status, null, reason);
  }
}
