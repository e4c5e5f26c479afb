package dev.paint.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Reads the history of a model's {@code deployed} alias from registry-service ({@code GET /models/{name}/history}),
 * the one call of {@code status} that paint-demo's RegistryClient does not make.
 */
public final class AliasHistoryClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One move of the {@code deployed} alias, field for field as registry-service returns it.
   *
   * @param previousVersion the version deployed before, null for the model's first deployment
   * @param reason import, patch or rollback
   * @param taskId the patch task that caused the move, null for an import or a rollback
   * @param note the text given with a rollback, null otherwise
   */
  public record AliasChange(
      String alias, int version, Integer previousVersion, String reason, String taskId, String note,
      Instant changedAt) {}

  private final URI baseUri;
  private final String apiToken;
  private final HttpClient http;

  /** @param apiToken the registry's API token, sent when not null; reads need it only if the registry requires it */
  public AliasHistoryClient(URI baseUri, String apiToken) {
    this.baseUri = baseUri;
    this.apiToken = apiToken;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * Returns the moves of the model's {@code deployed} alias, oldest first.
   *
   * @throws CommandFailedException when the registry cannot be reached or does not return 200; the message contains
   *     the registry's error
   */
  public List<AliasChange> history(String modelName) throws InterruptedException {
    URI uri = baseUri.resolve("/models/" + modelName + "/history");
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET();
    if (apiToken != null) {
      builder.header("Authorization", "Bearer " + apiToken);
    }
    HttpRequest request = builder.build();

    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CommandFailedException("GET " + uri + " failed (" + e + "): check that registry-service runs there,"
          + " or give " + ConnectionOptions.REGISTRY_URL, e);
    }
    if (response.statusCode() != 200) {
      throw new CommandFailedException("GET " + uri + " returned status " + response.statusCode() + ": "
          + errorMessage(response.body()));
    }

    try {
      return Json.mapper().readValue(response.body(), new TypeReference<List<AliasChange>>() {});
    } catch (IOException e) {
      throw new CommandFailedException("GET " + uri + " returned a body that is not an alias history: "
          + e.getMessage(), e);
    }
  }

  /** Returns the {@code error} field of the registry's error body, or the whole body when it has none. */
  static String errorMessage(String body) {
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      return error.isTextual() ? error.asText() : body;
    } catch (IOException e) {
      return body;
    }
  }
}
