package dev.paint.examples.subscriber.rest;

import dev.paint.examples.subscriber.service.ServedModel;
import dev.paint.examples.subscriber.service.ServedModelHolder;
import dev.paint.examples.subscriber.service.ServedTask;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;
import java.util.Optional;

/** Describes the served model and classifies images with it. Each request uses one version from start to end. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ClassifyResource {

  private final ServedModelHolder served;

  @Inject
  public ClassifyResource(ServedModelHolder served) {
    this.served = served;
  }

  /** Returns the served version and its task names, or 409 before the first promotion was loaded. */
  @GET
  @Path("/model")
  public Response model() {
    Optional<ServedModel> model = served.current();
    if (model.isEmpty()) {
      return noModel();
    }

    ServedModel current = model.get();
    List<String> tasks = current.tasks().keySet().stream().sorted().toList();
    return Response.ok(new ModelDescription(current.modelName(), current.version(), current.encoderSha256(), tasks))
        .build();
  }

  /**
   * Returns the predicted class name of each image. Returns 409 without a served model, 404 for an unknown task and
   * 400 for invalid input.
   */
  @POST
  @Path("/classify/{task}")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response classify(@PathParam("task") String task, ClassifyRequest request) {
    return served.withModel(model -> classify(model, task, request)).orElseGet(ClassifyResource::noModel);
  }

  private static Response classify(ServedModel model, String taskName, ClassifyRequest request) {
    ServedTask task = model.tasks().get(taskName);
    if (task == null) {
      return error(Status.NOT_FOUND, "Unknown task '" + taskName + "' in model '" + model.modelName() + "' version "
          + model.version() + ": use one of " + model.tasks().keySet().stream().sorted().toList());
    }
    String invalid = invalidInput(model, request);
    if (invalid != null) {
      return error(Status.BAD_REQUEST, invalid);
    }

    List<String> predictions = model.classify(task, request.pixels(), request.count());
    return Response.ok(new Classification(model.modelName(), model.version(), taskName, predictions)).build();
  }

  /** Returns why the request cannot be classified, or null when it can. */
  private static String invalidInput(ServedModel model, ClassifyRequest request) {
    if (request == null || request.pixels() == null) {
      return "Missing request body: send {\"pixels\": [...], \"count\": N}";
    }
    if (request.count() < 1) {
      return "Invalid count " + request.count() + ": send at least one image";
    }
    long expected = (long) request.count() * model.pixelsPerImage();
    if (request.pixels().length != expected) {
      return "Invalid input size: " + request.pixels().length + " pixel values for count " + request.count()
          + ", expected " + expected + " (count x " + model.pixelsPerImage() + " = channels x height x width of"
          + " model '" + model.modelName() + "' version " + model.version() + ")";
    }
    for (int i = 0; i < request.pixels().length; i++) {
      int value = request.pixels()[i];
      if (value < 0 || value > 255) {
        return "Invalid pixel value " + value + " at index " + i + ": pixel values must be 0 to 255";
      }
    }
    return null;
  }

  private static Response noModel() {
    return error(Status.CONFLICT, "No model is served yet: the service waits for a ModelPromoted event of the model"
        + " set in paint.subscriber.model-name");
  }

  private static Response error(Status status, String message) {
    return Response.status(status).entity(new ErrorResponse(status.getStatusCode(), message))
        .type(MediaType.APPLICATION_JSON).build();
  }
}
