package dev.paint.registry.support;

import dev.paint.registry.service.PromotionEvents;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.PatchTaskFailed;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link PromotionEvents} that records every event instead of sending it. A test can make the next ModelPromoted
 * sends fail, as an unreachable broker would.
 */
public final class RecordingPromotionEvents implements PromotionEvents {

  /** An event with the CloudEvents id it was sent with. */
  public record Sent<T>(T event, String eventId) {}

  private final List<Sent<ModelPromoted>> promoted = new CopyOnWriteArrayList<>();
  private final List<Sent<PatchTaskFailed>> failed = new CopyOnWriteArrayList<>();
  private final AtomicInteger failingPromotedSends = new AtomicInteger();

  public void failNextPromotedSends(int count) {
    failingPromotedSends.set(count);
  }

  @Override
  public void modelPromoted(ModelPromoted event, String eventId) {
    if (failingPromotedSends.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
      throw new IllegalStateException("Simulated broker failure sending ModelPromoted " + eventId);
    }
    promoted.add(new Sent<>(event, eventId));
  }

  @Override
  public void patchTaskFailed(PatchTaskFailed event, String eventId) {
    failed.add(new Sent<>(event, eventId));
  }

  public List<Sent<ModelPromoted>> promoted() {
    return List.copyOf(promoted);
  }

  public List<Sent<PatchTaskFailed>> failed() {
    return List.copyOf(failed);
  }
}
