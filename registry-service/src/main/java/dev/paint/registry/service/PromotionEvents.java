package dev.paint.registry.service;

import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;

/** Where the registry sends its events; each method returns once the broker acknowledged the event. */
public interface PromotionEvents {

  /**
   * Sends a {@link ModelPromoted} event keyed by its model name.
   *
   * @param eventId the CloudEvents id, stable across retries of the same promotion so that consumers can drop repeats
   */
  void modelPromoted(ModelPromoted event, String eventId);

  /** Sends a {@link PatchTaskFailed} event keyed by its model name; {@code eventId} as for {@link #modelPromoted}. */
  void patchTaskFailed(PatchTaskFailed event, String eventId);
}
