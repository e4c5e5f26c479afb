package dev.paint.examples.subscriber.messaging;

import dev.paint.examples.subscriber.service.PromotionHandler;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.messaging.CloudEvents;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@link dev.paint.shared.event.Topics#MODEL_PROMOTED} and swaps the served model. Every record is
 * acknowledged, also a malformed one or one whose version fails to load, so that one bad event never stops the
 * subscriber from following later promotions.
 */
@ApplicationScoped
public class ModelPromotedConsumer {

  public static final String CHANNEL = "model-promoted";
  private static final Logger LOG = Logger.getLogger(ModelPromotedConsumer.class);

  @Inject PromotionHandler promotions;

  /** Blocking because loading downloads checkpoints and builds the encoder. Ordered, so versions apply in order. */
  @Incoming(CHANNEL)
  @Blocking
  public CompletionStage<Void> consume(Message<String> message) {
    String origin = CloudEvents.origin(message);
    try {
      ModelPromoted event = CloudEvents.parse(message, EventTypes.MODEL_PROMOTED, ModelPromoted.class);
      promotions.handle(event, origin);
    } catch (InvalidEventException e) {
      LOG.errorf("Rejected ModelPromoted event of model '%s' from %s: %s",
          CloudEvents.textField(message.getPayload(), "modelName"), origin, e.getMessage());
      promotions.rejected();
    }
    return message.ack();
  }
}
