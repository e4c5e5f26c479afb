package dev.paint.examples.subscriber.messaging;

import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.model.EncoderSpec;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one registry endpoint the subscriber calls, served by the test application itself. Its responses carry an extra
 * field, as the real registry's do, which the subscriber must ignore.
 */
@Path("/models")
public class RegistryStandIn {

  static final Map<String, Map<String, Object>> VERSIONS = new ConcurrentHashMap<>();

  static void register(String modelName, int version, CheckpointRef encoder, EncoderSpec architecture) {
    VERSIONS.put(modelName + "/" + version, Map.of(
        "modelName", modelName, "version", version, "encoder", encoder, "architecture", architecture,
        "source", "import"));
  }

  @GET
  @Path("/{name}/versions/{version}")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> version(@PathParam("name") String name, @PathParam("version") int version) {
    Map<String, Object> stored = VERSIONS.get(name + "/" + version);
    if (stored == null) {
      throw new NotFoundException("Model '" + name + "' has no version " + version);
    }
    return stored;
  }
}
