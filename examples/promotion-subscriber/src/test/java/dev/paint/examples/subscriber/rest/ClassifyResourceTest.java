package dev.paint.examples.subscriber.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.examples.subscriber.service.ServedModelHolder;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** The resource before any promotion was loaded; served models are covered by ModelPromotedConsumerTest. */
class ClassifyResourceTest {

  private final ClassifyResource resource = new ClassifyResource(new ServedModelHolder());

  @Test
  void modelWithoutPromotionIsConflict() {
    Response response = resource.model();

    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(((ErrorResponse) response.getEntity()).error()).contains("paint.subscriber.model-name");
  }

  @Test
  void classifyWithoutPromotionIsConflict() {
    Response response = resource.classify("halves", new ClassifyRequest(new int[64], 1));

    assertThat(response.getStatus()).isEqualTo(409);
    assertThat(((ErrorResponse) response.getEntity()).status()).isEqualTo(409);
  }
}
