package dev.paint.trainer.client;

import dev.paint.shared.event.DeployedModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** registry-service's REST API, as far as the trainer needs it: which version of a model is deployed now. */
@RegisterRestClient(configKey = "registry")
@Path("/models")
public interface RegistryClient {

  /** Throws a WebApplicationException with status 404 when the model is unknown or has no deployed version. */
  @GET
  @Path("/{name}/deployed")
  DeployedModel deployed(@PathParam("name") String modelName);
}
