package dev.paint.registry.rest;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelSummary;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.service.InvalidRegistrationException;
import dev.paint.registry.service.ModelRegistry;
import dev.paint.registry.service.PromotionService;
import dev.paint.registry.service.RegistryNotFoundException;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventValidation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The model registry over HTTP: models, their versions with lineage and accuracies, the {@code deployed} alias and its
 * history. Errors are {@link ErrorResponse} bodies with status 400, 404 or 409.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

  private final ModelRegistry registry;
  private final PromotionService promotions;

  @Inject
  public ModelResource(ModelRegistry registry, PromotionService promotions) {
    this.registry = registry;
    this.promotions = promotions;
  }

  /** Lists every model with its deployed and latest version. */
  @GET
  public List<ModelSummary> models() {
    return registry.models();
  }

  @GET
  @Path("/{name}/versions")
  public List<ModelVersion> versions(@PathParam("name") String name) {
    List<ModelVersion> versions = registry.versions(validName(name));
    if (versions.isEmpty()) {
      throw unknownModel(name);
    }
    return versions;
  }

  @GET
  @Path("/{name}/versions/{version}")
  public ModelVersion version(@PathParam("name") String name, @PathParam("version") int version) {
    return registry.version(validName(name), version).orElseThrow(() -> new RegistryNotFoundException(
        "Model '" + name + "' has no version " + version + ": GET /models/" + name + "/versions lists the stored"
            + " versions"));
  }

  /** Returns the deployed version as the trainer starts a patch task from it. */
  @GET
  @Path("/{name}/deployed")
  public DeployedModel deployed(@PathParam("name") String name) {
    return promotions.deployed(name);
  }

  /** Lists the moves of the {@code deployed} alias, oldest first. */
  @GET
  @Path("/{name}/history")
  public List<AliasChange> history(@PathParam("name") String name) {
    List<AliasChange> history = registry.history(validName(name));
    if (history.isEmpty() && registry.versions(name).isEmpty()) {
      throw unknownModel(name);
    }
    return history;
  }

  /** Registers an encoder checkpoint already in the object store as the next version; 201 with the new version. */
  @POST
  @Path("/{name}/versions")
  public RestResponse<ModelVersion> register(
      @PathParam("name") String name, RegisterModelVersion request, @Context UriInfo uri) {
    ModelVersion version = promotions.registerImported(validName(name), request);

    URI location = uri.getBaseUriBuilder().path("models").path(name).path("versions")
        .path(Integer.toString(version.version())).build();
    return RestResponse.ResponseBuilder.<ModelVersion>created(location).entity(version).build();
  }

  /** Points the {@code deployed} alias at an earlier version; returns the recorded alias change. */
  @POST
  @Path("/{name}/rollback")
  public AliasChange rollback(@PathParam("name") String name, RollbackRequest request) {
    validName(name);
    if (request == null || request.version() == null) {
      throw new InvalidRegistrationException(
          "Missing version in the rollback request for model '" + name + "': send {\"version\": N}");
    }
    return promotions.rollback(name, request.version(), request.note());
  }

  private static String validName(String name) {
    return EventValidation.requireId(name, "model name");
  }

  private static RegistryNotFoundException unknownModel(String name) {
    return new RegistryNotFoundException(
        "Model '" + name + "' is not registered: register a version with POST /models/" + name + "/versions");
  }
}
