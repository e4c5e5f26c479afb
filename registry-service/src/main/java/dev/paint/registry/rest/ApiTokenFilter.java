package dev.paint.registry.rest;

import dev.paint.registry.config.RegistryConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires the API token ({@code paint.registry.api-token}) as {@code Authorization: Bearer <token>} on every request
 * that changes the registry, and on reads too when {@code paint.registry.reads-require-token} is true. Without a
 * configured token every mutating request is rejected, so a registry that was started without one cannot be changed
 * by anyone. The filter covers the REST resources only; /q/health, /q/metrics and /q/openapi stay open.
 */
@ApplicationScoped
public class ApiTokenFilter {

  /** Shortest token accepted at startup; 32 hex digits of a random number have 128 bits. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** The scheme of the {@code Authorization} header, also named in the OpenAPI document. */
  public static final String BEARER = "Bearer";

  /** HTTP methods that pass without a token unless {@code paint.registry.reads-require-token} is true. */
  static final Set<String> READ_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

  private static final Logger LOG = Logger.getLogger(ApiTokenFilter.class);

  private final Optional<byte[]> tokenDigest;
  private final boolean readsRequireToken;

  @Inject
  public ApiTokenFilter(RegistryConfig config) {
    this.tokenDigest = config.apiToken().map(ApiTokenFilter::validToken).map(ApiTokenFilter::sha256);
    this.readsRequireToken = config.readsRequireToken();
  }

  /** Warns at startup when mutations are impossible, so an operator sees why every POST returns 401. */
  void onStart(@Observes StartupEvent event) {
    if (tokenDigest.isEmpty()) {
      LOG.warn("No API token is configured (paint.registry.api-token, environment variable PAINT_REGISTRY_API_TOKEN):"
          + " registry-service rejects every request that registers, promotes or rolls back a model version");
    }
  }

  /** Returns a 401 response for a request without the right token, or null to let it through. */
  @ServerRequestFilter
  public Response requireToken(ContainerRequestContext request) {
    boolean read = READ_METHODS.contains(request.getMethod());
    if (read && !readsRequireToken) {
      return null;
    }

    if (tokenDigest.isEmpty()) {
      return unauthorized("registry-service has no API token configured, so it accepts no " + request.getMethod()
          + " request: set paint.registry.api-token (environment variable PAINT_REGISTRY_API_TOKEN) and restart it");
    }

    Optional<String> presented = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (presented.isEmpty()) {
      return unauthorized("Missing API token: send the header 'Authorization: Bearer <token>' with the token that"
          + " registry-service has in PAINT_REGISTRY_API_TOKEN");
    }
    // Comparing digests of equal length with MessageDigest.isEqual takes the same time wherever the tokens differ.
    if (!MessageDigest.isEqual(sha256(presented.get()), tokenDigest.get())) {
      LOG.debugf("Rejected %s %s with an invalid API token", request.getMethod(), request.getUriInfo().getPath());
      return unauthorized("Invalid API token: send the token that registry-service has in PAINT_REGISTRY_API_TOKEN");
    }
    return null;
  }

  private static Optional<String> bearerToken(String header) {
    if (header == null || !header.regionMatches(true, 0, BEARER + " ", 0, BEARER.length() + 1)) {
      return Optional.empty();
    }
    String token = header.substring(BEARER.length() + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static Response unauthorized(String message) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, BEARER + " realm=\"paint-registry\"")
        .entity(new ErrorResponse(message))
        .type("application/json")
        .build();
  }

  private static String validToken(String token) {
    String stripped = token.strip();
    if (stripped.length() < MIN_TOKEN_LENGTH) {
      // The message names the key, never the value.
      throw new IllegalStateException("Invalid paint.registry.api-token (PAINT_REGISTRY_API_TOKEN): it has "
          + stripped.length() + " characters, at least " + MIN_TOKEN_LENGTH + " are required; generate one with"
          + " 'openssl rand -hex 32'");
    }
    return stripped;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM, which every Java 17 runtime must provide", e);
    }
  }
}
