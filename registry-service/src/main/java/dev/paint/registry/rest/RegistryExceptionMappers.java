package dev.paint.registry.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.paint.registry.service.AliasConflictException;
import dev.paint.registry.service.InvalidRegistrationException;
import dev.paint.registry.service.RegistryNotFoundException;
import dev.paint.shared.event.InvalidEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps the registry's exceptions to {@link ErrorResponse} bodies with the matching HTTP status. */
public class RegistryExceptionMappers {

  private static final Logger LOG = Logger.getLogger(RegistryExceptionMappers.class);

  @ServerExceptionMapper
  public RestResponse<ErrorResponse> notFound(RegistryNotFoundException e) {
    return error(Status.NOT_FOUND, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<ErrorResponse> invalidRegistration(InvalidRegistrationException e) {
    return error(Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<ErrorResponse> invalidField(InvalidEventException e) {
    return error(Status.BAD_REQUEST, e.getMessage());
  }

  @ServerExceptionMapper
  public RestResponse<ErrorResponse> conflict(AliasConflictException e) {
    return error(Status.CONFLICT, e.getMessage());
  }

  /** Maps a request body that is not valid JSON, or misses a field that a record constructor requires, to 400. */
  @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
  public RestResponse<ErrorResponse> invalidJson(JsonProcessingException e) {
    return error(Status.BAD_REQUEST, "Invalid request body: " + e.getOriginalMessage());
  }

  /**
   * Adds the JSON error body to the 400 that Quarkus REST raises for an unreadable request body. Quarkus REST wraps
   * Jackson's DatabindException, which a failed record constructor causes, in a WebApplicationException without a
   * body. Any other WebApplicationException keeps its own response.
   */
  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    if (e.getCause() instanceof JsonProcessingException json) {
      return invalidJson(json).toResponse();
    }
    return e.getResponse();
  }

  private static RestResponse<ErrorResponse> error(Status status, String message) {
    LOG.debugf("Request rejected with %d: %s", status.getStatusCode(), message);
    return RestResponse.status(status, new ErrorResponse(message));
  }
}
