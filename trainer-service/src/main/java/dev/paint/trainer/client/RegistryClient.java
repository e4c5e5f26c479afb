package dev.paint.trainer.client;

import dev.paint.shared.event.DeployedModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** registry-service's REST API, as far as the trainer needs it: which version of a model is deployed now. */
@RegisterRestClient(configKey = "registry")
@Path("/models")
public interface RegistryClient {

  /**
   * Configuration key of the registry's API token, the same key and environment variable (PAINT_REGISTRY_API_TOKEN)
   * that registry-service reads. Optional, and needed only when the registry requires the token for reads.
   */
  String API_TOKEN_KEY = "paint.registry.api-token";

  /** Throws a WebApplicationException with status 404 when the model is unknown or has no deployed version. */
  @GET
  @Path("/{name}/deployed")
  @ClientHeaderParam(name = "Authorization", value = "{bearerToken}", required = false)
  DeployedModel deployed(@PathParam("name") String modelName);

  /** Returns the {@code Authorization} header value, or null to send none when no token is configured. */
  default String bearerToken() {
    return ConfigProvider.getConfig().getOptionalValue(API_TOKEN_KEY, String.class)
        .map(token -> "Bearer " + token.strip())
        .orElse(null);
  }
}
