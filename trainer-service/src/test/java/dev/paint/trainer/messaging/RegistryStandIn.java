package dev.paint.trainer.messaging;

import dev.paint.shared.event.DeployedModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one registry endpoint the trainer calls, served by the test application itself so the trainer can be tested
 * alone. The real registry is exercised by the end-to-end test in paint-demo.
 */
@Path("/models")
public class RegistryStandIn {

  static final Map<String, DeployedModel> DEPLOYED = new ConcurrentHashMap<>();

  @GET
  @Path("/{name}/deployed")
  @Produces(MediaType.APPLICATION_JSON)
  public DeployedModel deployed(@PathParam("name") String name) {
    DeployedModel model = DEPLOYED.get(name);
    if (model == null) {
      throw new NotFoundException("No deployed version of " + name);
    }
    return model;
  }
}
