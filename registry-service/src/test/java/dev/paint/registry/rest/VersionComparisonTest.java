package dev.paint.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.support.RegistryFixtures;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** GET /models/{name}/compare on versions stored through the real object store and broker. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class VersionComparisonTest {

  /** Accuracy of the root version on its supported task, as an import reports it. */
  private static final TaskAccuracy ROOT_ACCURACY = new TaskAccuracy(92.0, 92.0, 92.0, 91.0, 91.0, 91.0);

  @Inject
  CheckpointStore checkpoints;

  @Test
  void compareReportsAccuracyPerTask() {
    String model = RegistryFixtures.uniqueModelName("compare");
    registerRootWithAccuracy(model);
    CandidateSelected candidate =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-c", "mnist", 0.5);
    String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);

    KafkaEvents.publish(bootstrapServers, Topics.CANDIDATE_SELECTED, model, EventTypes.CANDIDATE_SELECTED, candidate);
    await().atMost(Duration.ofSeconds(30)).until(() -> RegistryFixtures.deployed(model).version() == 2);

    TaskAccuracy patched = candidate.accuracy().get(RegistryFixtures.SUPPORTED_TASK);
    TaskAccuracy mnist = candidate.accuracy().get("mnist");
    JsonPath comparison = given().when().get("/models/{name}/compare?from=1&to=2", model)
        .then().statusCode(200)
        .body("modelName", equalTo(model))
        .body("from", equalTo(1))
        .body("to", equalTo(2))
        .body("tasks.task", contains(RegistryFixtures.SUPPORTED_TASK, "mnist"))
        .body("tasks[1].fromValidation", nullValue())
        .body("tasks[1].validationDifference", nullValue())
        .body("tasks[1].testDifference", nullValue())
        .extract().jsonPath();

    assertThat(comparison.getDouble("tasks[0].fromValidation")).isEqualTo(ROOT_ACCURACY.patchedValidation());
    assertThat(comparison.getDouble("tasks[0].toValidation")).isEqualTo(patched.patchedValidation());
    assertThat(comparison.getDouble("tasks[0].validationDifference"))
        .isCloseTo(patched.patchedValidation() - ROOT_ACCURACY.patchedValidation(), offset(1e-9));
    assertThat(comparison.getDouble("tasks[0].fromTest")).isEqualTo(ROOT_ACCURACY.patchedTest());
    assertThat(comparison.getDouble("tasks[0].toTest")).isEqualTo(patched.patchedTest());
    assertThat(comparison.getDouble("tasks[0].testDifference"))
        .isCloseTo(patched.patchedTest() - ROOT_ACCURACY.patchedTest(), offset(1e-9));
    assertThat(comparison.getDouble("tasks[1].toValidation")).isEqualTo(mnist.patchedValidation());
    assertThat(comparison.getDouble("tasks[1].toTest")).isEqualTo(mnist.patchedTest());
  }

  @Test
  void compareReversedNegatesDifference() {
    String model = RegistryFixtures.uniqueModelName("reversed");
    registerRootWithAccuracy(model);
    RegisterModelVersion second = withAccuracy(
        RegistryFixtures.uploadRootVersion(checkpoints, model, 2.0f), new TaskAccuracy(95, 95, 95, 94, 94, 94), false);
    register(model, second);

    double forward = given().when().get("/models/{name}/compare?from=1&to=2", model)
        .then().statusCode(200).extract().jsonPath().getDouble("tasks[0].testDifference");
    double backward = given().when().get("/models/{name}/compare?from=2&to=1", model)
        .then().statusCode(200).extract().jsonPath().getDouble("tasks[0].testDifference");

    assertThat(forward).isCloseTo(3.0, offset(1e-9));
    assertThat(backward).isCloseTo(-3.0, offset(1e-9));
  }

  @Test
  void compareUnknownVersionNotFound() {
    String model = RegistryFixtures.uniqueModelName("compare-404");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    given().when().get("/models/{name}/compare?from=1&to=7", model)
        .then().statusCode(404)
        .body("error", containsString("Model '" + model + "' has no version 7"));
    given().when().get("/models/{name}/compare?from=1&to=2", "never-registered")
        .then().statusCode(404);
  }

  @Test
  void compareWithoutVersionsRejected() {
    given().when().get("/models/{name}/compare?from=1", "any-model")
        .then().statusCode(400)
        .body("error", containsString("Missing or invalid query parameter 'to'"));
    given().when().get("/models/{name}/compare?from=0&to=1", "any-model")
        .then().statusCode(400)
        .body("error", containsString("query parameter 'from' (0)"));
  }

  private void registerRootWithAccuracy(String model) {
    register(model, withAccuracy(RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f), ROOT_ACCURACY, true));
  }

  private static RegisterModelVersion withAccuracy(
      RegisterModelVersion request, TaskAccuracy accuracy, boolean promote) {
    return new RegisterModelVersion(request.encoder(), null, request.architecture(), request.tasks(),
        Map.of(RegistryFixtures.SUPPORTED_TASK, accuracy), promote);
  }

  private static void register(String model, RegisterModelVersion request) {
    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(request))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201);
  }
}
