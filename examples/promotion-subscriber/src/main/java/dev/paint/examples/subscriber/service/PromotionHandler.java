package dev.paint.examples.subscriber.service;

import dev.paint.examples.subscriber.config.SubscriberConfig;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.ModelPromoted;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * Decides whether a promotion changes what is served, and if so loads the version and swaps it in. The old version
 * keeps serving until the new one is fully loaded, and also when loading fails.
 */
@ApplicationScoped
public class PromotionHandler {

  /** Counter of handled promotion events, tagged with the followed model and an outcome from {@link Outcome}. */
  public static final String PROMOTIONS_METRIC = "paint.subscriber.promotions";

  static final String REASON_ROLLBACK = "rollback";
  private static final Logger LOG = Logger.getLogger(PromotionHandler.class);

  /** Outcome of handling one event, also the metric's tag value. */
  public enum Outcome {
    APPLIED,
    IGNORED,
    REJECTED,
    FAILED;

    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final ModelLoader loader;
  private final ServedModelHolder served;
  private final SubscriberConfig config;
  private final MeterRegistry meters;

  @Inject
  public PromotionHandler(ModelLoader loader, ServedModelHolder served, SubscriberConfig config, MeterRegistry meters) {
    this.loader = loader;
    this.served = served;
    this.config = config;
    this.meters = meters;
  }

  /** Applies {@code event} when it is for the followed model and moves the served version, and returns the outcome. */
  public Outcome handle(ModelPromoted event, String origin) {
    validate(event);
    if (!config.modelName().equals(event.modelName())) {
      LOG.debugf("Ignored promotion of model '%s' from %s: this service follows '%s'", event.modelName(), origin,
          config.modelName());
      return count(Outcome.IGNORED);
    }
    ServedModel current = served.current().orElse(null);
    if (!shouldApply(event, current)) {
      LOG.infof("Ignored promotion of model '%s' version %d (%s) from %s: version %d is served and the event is not"
          + " newer", event.modelName(), event.version(), event.reason(), origin, current.version());
      return count(Outcome.IGNORED);
    }

    ServedModel next;
    try {
      next = loader.load(event);
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError (a missing native library of the ML engine) fails this load, not the consumer.
      LOG.errorf(e, "Could not load model '%s' version %d from %s; still serving %s", event.modelName(),
          event.version(), origin, current == null ? "no model" : "version " + current.version());
      return count(Outcome.FAILED);
    }

    served.swap(next);
    LOG.infof("Serving model '%s' version %d (%s, previous %s) with tasks %s", event.modelName(), event.version(),
        event.reason(), current == null ? "none" : current.version(), next.tasks().keySet());
    return count(Outcome.APPLIED);
  }

  /** Counts an event that could not be parsed at all. */
  public void rejected() {
    count(Outcome.REJECTED);
  }

  /**
   * A newer version replaces the served one, and so does a rollback, whose version is lower by design. A rollback
   * older than the served version's promotion is a redelivery and must not undo the promotions that followed it.
   */
  static boolean shouldApply(ModelPromoted event, ServedModel current) {
    if (current == null) {
      return true;
    }
    if (!REASON_ROLLBACK.equals(event.reason())) {
      return event.version() > current.version();
    }
    if (event.version() == current.version()) {
      return false;
    }
    boolean olderThanServed = event.promotedAt() != null && current.promotedAt() != null
        && event.promotedAt().isBefore(current.promotedAt());
    return !olderThanServed;
  }

  /** ModelPromoted has no checks of its own, so the fields a subscriber needs are checked here. */
  private static void validate(ModelPromoted event) {
    EventValidation.requireText(event.modelName(), "modelName");
    EventValidation.requireNonNull(event.encoder(), "encoder");
    EventValidation.requireNonEmpty(event.tasks(), "tasks");
    EventValidation.requireText(event.reason(), "reason");
    if (event.version() < 1) {
      throw new InvalidEventException(
          "Invalid version " + event.version() + " of model '" + event.modelName() + "': versions start at 1");
    }
  }

  private Outcome count(Outcome outcome) {
    meters.counter(PROMOTIONS_METRIC, "model", config.modelName(), "outcome", outcome.tag()).increment();
    return outcome;
  }
}
