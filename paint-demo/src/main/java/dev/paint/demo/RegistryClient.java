package dev.paint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The part of registry-service's REST API that the demo uses: registering a version and reading the deployed one. */
public final class RegistryClient {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Body of {@code POST /models/{name}/versions}, field for field as registry-service reads it.
   *
   * @param encoder the encoder checkpoint, already in the object store
   * @param architecture the encoder's architecture
   * @param tasks the supported tasks with their heads, each already in the object store
   * @param accuracy accuracies per task name, recorded with the version
   * @param promote whether the new version becomes the deployed one
   */
  public record RegisterModelVersion(
      CheckpointRef encoder, EncoderSpec architecture, List<TaskHead> tasks, Map<String, TaskAccuracy> accuracy,
      boolean promote) {}

  private final URI baseUri;
  private final String apiToken;
  private final HttpClient http;

  /**
   * @param apiToken the registry's API token (PAINT_REGISTRY_API_TOKEN), sent as a bearer token with every request.
   *     Null sends none, and then only reads work, unless the registry requires the token for reads too.
   */
  public RegistryClient(URI baseUri, String apiToken) {
    this.baseUri = baseUri;
    this.apiToken = apiToken;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Registers a new version of {@code modelName} and returns its number.
   *
   * @throws DemoFailedException when the registry does not return 201 Created; the message contains its error body
   */
  public int register(String modelName, RegisterModelVersion request) {
    URI uri = baseUri.resolve("/models/" + modelName + "/versions");
    HttpRequest post = request(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)))
        .build();

    HttpResponse<String> response = send(post);
    if (response.statusCode() != 201) {
      String hint = response.statusCode() == 401 ? "; give the registry's API token (PAINT_REGISTRY_API_TOKEN)" : "";
      throw new DemoFailedException("Registering model " + modelName + " failed: POST " + uri + " returned status "
          + response.statusCode() + " with body " + response.body() + hint);
    }
    JsonNode version = readTree(response.body(), uri).path("version");
    if (!version.canConvertToInt() || version.asInt() < 1) {
      throw new DemoFailedException(
          "POST " + uri + " returned no version number in " + response.body() + "; check the registry-service log");
    }
    return version.asInt();
  }

  /**
   * Returns the deployed version of {@code modelName}, the same record the trainer reads.
   *
   * @throws DemoFailedException when the registry does not return 200
   */
  public DeployedModel deployed(String modelName) {
    URI uri = baseUri.resolve("/models/" + modelName + "/deployed");
    HttpResponse<String> response = send(request(uri).GET().build());
    if (response.statusCode() != 200) {
      throw new DemoFailedException(
          "GET " + uri + " returned status " + response.statusCode() + " with body " + response.body());
    }
    return Json.read(response.body(), DeployedModel.class);
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT);
    if (apiToken != null) {
      builder.header("Authorization", "Bearer " + apiToken);
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DemoFailedException(
          request.method() + " " + request.uri() + " failed: " + e.getMessage() + "; check that registry-service runs",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailedException("Interrupted during " + request.method() + " " + request.uri(), e);
    }
  }

  private static JsonNode readTree(String body, URI uri) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Invalid JSON from " + uri + ": " + body, e);
    }
  }
}
