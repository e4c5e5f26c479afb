package dev.paint.examples.subscriber.client;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * Sends the registry's API token as {@code Authorization: Bearer <token>} on every request of {@link RegistryClient}.
 * registry-service requires it for reads when {@code paint.registry.reads-require-token} is true. The filter keeps the
 * token out of {@link #toString()}, so it never reaches a log line.
 */
public final class RegistryTokenFilter implements ClientRequestFilter {

  private static final String BEARER = "Bearer ";

  private final String authorization;

  public RegistryTokenFilter(String apiToken) {
    if (apiToken == null || apiToken.isBlank()) {
      throw new IllegalArgumentException(
          "The registry API token is blank: set paint.subscriber.registry-api-token (PAINT_REGISTRY_API_TOKEN) to the"
              + " token of registry-service, or leave it unset to send none");
    }
    this.authorization = BEARER + apiToken.strip();
  }

  @Override
  public void filter(ClientRequestContext request) {
    request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, authorization);
  }

  @Override
  public String toString() {
    return "RegistryTokenFilter[Authorization: Bearer ***]";
  }
}
