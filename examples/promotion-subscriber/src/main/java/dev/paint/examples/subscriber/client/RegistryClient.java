package dev.paint.examples.subscriber.client;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

/** registry-service's REST API, as far as a subscriber needs it: the description of one stored model version. */
@Path("/models")
public interface RegistryClient {

  /** Throws a WebApplicationException with status 404 when the model or the version is unknown. */
  @GET
  @Path("/{name}/versions/{version}")
  RegisteredVersion version(@PathParam("name") String modelName, @PathParam("version") int version);
}
