package dev.paint.examples.subscriber.messaging;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.model.EncoderSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one registry endpoint the subscriber calls, served by the test application itself. Its responses carry an extra
 * field, as the real registry's do, which the subscriber must ignore. Like a registry with {@code
 * paint.registry.reads-require-token=true}, it returns 401 unless the request carries {@link #API_TOKEN}.
 */
@Path("/models")
public class RegistryStandIn {

  /** The token the stand-in accepts, equal to %test.paint.subscriber.registry-api-token in application.properties. */
  static final String API_TOKEN = "subscriber-test-token-0123456789";

  static final Map<String, Map<String, Object>> VERSIONS = new ConcurrentHashMap<>();

  /** The Authorization header of the latest request, or null before the first one and when it had none. */
  static final AtomicReference<String> LAST_AUTHORIZATION = new AtomicReference<>();

  static void register(String modelName, int version, CheckpointRef encoder, EncoderSpec architecture) {
    VERSIONS.put(modelName + "/" + version, Map.of(
        "modelName", modelName, "version", version, "encoder", encoder, "architecture", architecture,
        "source", "import"));
  }

  @GET
  @Path("/{name}/versions/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> version(@PathParam("name") String name, @PathParam("version") int version,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
    LAST_AUTHORIZATION.set(authorization);
    if (!("Bearer " + API_TOKEN).equals(authorization)) {
      throw new NotAuthorizedException("Missing or invalid API token for model '" + name + "' version " + version,
          "Bearer realm=\"paint-registry\"");
    }

    Map<String, Object> stored = VERSIONS.get(name + "/" + version);
    if (stored == null) {
      throw new NotFoundException("Model '" + name + "' has no version " + version);
    }
    return stored;
  }
}
