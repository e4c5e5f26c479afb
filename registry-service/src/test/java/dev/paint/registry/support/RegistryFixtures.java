package dev.paint.registry.support;

import static io.restassured.RestAssured.given;

import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;

/** Models and candidates in the real object store and registry, each test with a model name of its own. */
public final class RegistryFixtures {

  /** The supported task of every root version the fixtures register. */
  public static final String SUPPORTED_TASK = "fashion";

  private RegistryFixtures() {}

  /** Returns the API token that the test profile configures (paint.registry.api-token). */
  public static String apiToken() {
    return ConfigProvider.getConfig().getValue("paint.registry.api-token", String.class);
  }

  /** Starts a request that carries the API token, as the mutating endpoints require. */
  public static RequestSpecification authorized() {
    return given().header("Authorization", "Bearer " + apiToken());
  }

  public static String uniqueModelName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Uploads an encoder and a head, and returns the registration request for them. */
  public static RegisterModelVersion uploadRootVersion(CheckpointStore checkpoints, String model, float fill) {
    CheckpointRef encoder = TestCheckpoints.upload(
        checkpoints, ObjectKeys.importedEncoder(model, "upload-" + fill), "encoder.weight", fill);
    CheckpointRef head = TestCheckpoints.upload(
        checkpoints, ObjectKeys.head(model, SUPPORTED_TASK), "head", 0.5f);
    return new RegisterModelVersion(
        encoder, null, EncoderSpec.DEMO, List.of(TestEvents.head(SUPPORTED_TASK, head, TaskRole.SUPPORTED)), null,
        null);
  }

  /** Registers a root version through POST /models/{name}/versions and returns it. */
  public static ModelVersion registerRootVersion(CheckpointStore checkpoints, String model) {
    String body = authorized()
        .contentType(ContentType.JSON)
        .body(Json.write(uploadRootVersion(checkpoints, model, 1.0f)))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201)
        .extract().asString();
    return Json.read(body, ModelVersion.class);
  }

  /** Returns GET /models/{name}/deployed. */
  public static DeployedModel deployed(String model) {
    String body = given()
        .when().get("/models/{name}/deployed", model)
        .then().statusCode(200)
        .extract().asString();
    return Json.read(body, DeployedModel.class);
  }

  /** Uploads a candidate encoder and the patch task's head, and returns the evaluator's event for them. */
  public static CandidateSelected candidate(
      CheckpointStore checkpoints, DeployedModel base, String taskId, String task, double alpha) {
    String model = base.modelName();
    CheckpointRef candidate = TestCheckpoints.upload(
        checkpoints, ObjectKeys.candidate(model, taskId, alpha), "encoder.weight", (float) alpha + taskId.length());
    CheckpointRef head = TestCheckpoints.upload(checkpoints, ObjectKeys.head(model, task), "head", 0.25f);
    return TestEvents.candidateSelected(taskId, task, base, candidate, head, alpha, Instant.now().minusSeconds(5));
  }
}
