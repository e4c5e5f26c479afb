package dev.paint.registry.rest;

import dev.paint.registry.domain.AliasChange;
import dev.paint.registry.domain.ModelSummary;
import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.domain.VersionComparison;
import dev.paint.registry.service.InvalidRegistrationException;
import dev.paint.registry.service.ModelRegistry;
import dev.paint.registry.service.PromotionService;
import dev.paint.registry.service.RegistryNotFoundException;
import dev.paint.registry.service.VersionComparer;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventValidation;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The model registry over HTTP: models, their versions with lineage and accuracies, the {@code deployed} alias and its
 * history, comparison of two versions, manual promotion and rollback. Errors are {@link ErrorResponse} bodies with
 * status 400, 401, 404 or 409. The POST endpoints require the API token (see {@link ApiTokenFilter}), and {@link
 * ApiTokenOpenApiFilter} adds that requirement and the 401 response to their OpenAPI operations.
 */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Model versions, lineage and the deployed alias")
@SecurityScheme(
    securitySchemeName = ModelResource.API_TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The registry's API token, configured with paint.registry.api-token (PAINT_REGISTRY_API_TOKEN)")
public class ModelResource {

  /** Name of the security scheme in the OpenAPI document. */
  static final String API_TOKEN = "apiToken";

  /** Names of the error responses in the OpenAPI document's components (see package-info.java). */
  static final String INVALID = "InvalidRequest";
  static final String UNAUTHORIZED = "Unauthorized";
  static final String NOT_FOUND = "NotFound";
  static final String CONFLICT = "Conflict";

  private static final String JSON = MediaType.APPLICATION_JSON;

  private final ModelRegistry registry;
  private final PromotionService promotions;
  private final VersionComparer comparer;

  @Inject
  public ModelResource(ModelRegistry registry, PromotionService promotions, VersionComparer comparer) {
    this.registry = registry;
    this.promotions = promotions;
    this.comparer = comparer;
  }

  /** Lists every model with its deployed and latest version. */
  @GET
  @Operation(summary = "List models", description = "Every registered model with its deployed and latest version")
  @APIResponse(responseCode = "200", description = "The models",
      content = @Content(mediaType = JSON,
          schema = @Schema(type = SchemaType.ARRAY, implementation = ModelSummary.class)))
  public List<ModelSummary> models() {
    return registry.models();
  }

  @GET
  @Path("/{name}/versions")
  @Operation(summary = "List versions", description = "Every stored version of a model with lineage and accuracies")
  @APIResponse(responseCode = "200", description = "The versions, oldest first",
      content = @Content(mediaType = JSON,
          schema = @Schema(type = SchemaType.ARRAY, implementation = ModelVersion.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  public List<ModelVersion> versions(@PathParam("name") String name) {
    List<ModelVersion> versions = registry.versions(validName(name));
    if (versions.isEmpty()) {
      throw unknownModel(name);
    }
    return versions;
  }

  @GET
  @Path("/{name}/versions/{version}")
  @Operation(summary = "Get a version", description = "One version with its lineage and per-task accuracies")
  @APIResponse(responseCode = "200", description = "The version",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = ModelVersion.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  public ModelVersion version(@PathParam("name") String name, @PathParam("version") int version) {
    return registry.version(validName(name), version).orElseThrow(() -> new RegistryNotFoundException(
        "Model '" + name + "' has no version " + version + ": GET /models/" + name + "/versions lists the stored"
            + " versions"));
  }

  /** Returns the deployed version as the trainer starts a patch task from it. */
  @GET
  @Path("/{name}/deployed")
  @Operation(summary = "Get the deployed version",
      description = "The version the deployed alias points at, with its root version, as the trainer reads it")
  @APIResponse(responseCode = "200", description = "The deployed version",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = DeployedModel.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  public DeployedModel deployed(@PathParam("name") String name) {
    return promotions.deployed(name);
  }

  /** Lists the moves of the {@code deployed} alias, oldest first. */
  @GET
  @Path("/{name}/history")
  @Operation(summary = "List alias history", description = "Every move of the deployed alias, oldest first")
  @APIResponse(responseCode = "200", description = "The alias changes",
      content = @Content(mediaType = JSON,
          schema = @Schema(type = SchemaType.ARRAY, implementation = AliasChange.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  public List<AliasChange> history(@PathParam("name") String name) {
    List<AliasChange> history = registry.history(validName(name));
    if (history.isEmpty() && registry.versions(name).isEmpty()) {
      throw unknownModel(name);
    }
    return history;
  }

  /** Compares the recorded per-task accuracies of version {@code to} with those of version {@code from}. */
  @GET
  @Path("/{name}/compare")
  @Operation(summary = "Compare two versions",
      description = "Per task, the validation and test accuracy of both versions and the difference to - from")
  @APIResponse(responseCode = "200", description = "The comparison",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = VersionComparison.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  public VersionComparison compare(
      @PathParam("name") String name, @QueryParam("from") Integer from, @QueryParam("to") Integer to) {
    validName(name);
    requireVersionParameter(name, "from", from);
    requireVersionParameter(name, "to", to);
    return comparer.compare(name, from, to);
  }

  /** Registers an encoder checkpoint already in the object store as the next version; 201 with the new version. */
  @POST
  @Path("/{name}/versions")
  @Operation(summary = "Register a version",
      description = "Registers an encoder checkpoint and heads already in the object store as the model's next"
          + " version, and deploys it unless promote is false and a version is deployed")
  @APIResponse(responseCode = "201", description = "The new version; Location names it",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = ModelVersion.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  public RestResponse<ModelVersion> register(
      @PathParam("name") String name, RegisterModelVersion request, @Context UriInfo uri) {
    ModelVersion version = promotions.registerImported(validName(name), request);

    URI location = uri.getBaseUriBuilder().path("models").path(name).path("versions")
        .path(Integer.toString(version.version())).build();
    return RestResponse.ResponseBuilder.<ModelVersion>created(location).entity(version).build();
  }

  /** Points the {@code deployed} alias at a newer version if the expected one is still deployed. */
  @POST
  @Path("/{name}/promote")
  @Operation(summary = "Promote a version",
      description = "Moves the deployed alias to a newer stored version if expectedDeployedVersion is still"
          + " deployed (compare-and-set), and publishes a paint.model.promoted event with reason manual")
  @APIResponse(responseCode = "200", description = "The recorded alias change",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = AliasChange.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  @APIResponse(responseCode = "409", ref = CONFLICT)
  public AliasChange promote(@PathParam("name") String name, PromotionRequest request) {
    validName(name);
    if (request == null || request.version() == null || request.expectedDeployedVersion() == null) {
      throw new InvalidRegistrationException("Missing version or expectedDeployedVersion in the promotion request for"
          + " model '" + name + "': send {\"version\": N, \"expectedDeployedVersion\": M}");
    }
    return promotions.promoteManually(name, request.version(), request.expectedDeployedVersion(), request.note());
  }

  /** Points the {@code deployed} alias at an earlier version; returns the recorded alias change. */
  @POST
  @Path("/{name}/rollback")
  @Operation(summary = "Roll back",
      description = "Moves the deployed alias to an earlier stored version and publishes a paint.model.promoted"
          + " event with reason rollback")
  @APIResponse(responseCode = "200", description = "The recorded alias change",
      content = @Content(mediaType = JSON, schema = @Schema(implementation = AliasChange.class)))
  @APIResponse(responseCode = "400", ref = INVALID)
  @APIResponse(responseCode = "404", ref = NOT_FOUND)
  @APIResponse(responseCode = "409", ref = CONFLICT)
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

  private static void requireVersionParameter(String name, String parameter, Integer version) {
    if (version == null || version < 1) {
      throw new InvalidRegistrationException("Missing or invalid query parameter '" + parameter + "'"
          + (version == null ? "" : " (" + version + ")") + ": send GET /models/" + name
          + "/compare?from=N&to=M with version numbers from 1");
    }
  }

  private static RegistryNotFoundException unknownModel(String name) {
    return new RegistryNotFoundException(
        "Model '" + name + "' is not registered: register a version with POST /models/" + name + "/versions");
  }
}
