/**
 * registry-service's REST API. The OpenAPI document names the error responses once, here, and the operations refer to
 * them, because every error has the same {@link dev.paint.registry.rest.ErrorResponse} body.
 */
@OpenAPIDefinition(
    info = @Info(title = "paint registry-service", version = "0.1.0",
        description = "Model versions, lineage, the deployed alias, comparison, promotion and rollback"),
    components = @Components(responses = {
        @APIResponse(name = ModelResource.INVALID, description = "Invalid model name, parameter or body",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorResponse.class))),
        @APIResponse(name = ModelResource.UNAUTHORIZED, description = "Missing or invalid API token",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorResponse.class))),
        @APIResponse(name = ModelResource.NOT_FOUND, description = "Model or version not found",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorResponse.class))),
        @APIResponse(name = ModelResource.CONFLICT, description = "The request conflicts with the deployed version",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ErrorResponse.class)))
    }))
package dev.paint.registry.rest;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
