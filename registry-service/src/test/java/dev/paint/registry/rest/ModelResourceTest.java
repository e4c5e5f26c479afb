package dev.paint.registry.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.support.RegistryFixtures;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The registry's HTTP API against the real object store. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ModelResourceTest {

  @Inject
  CheckpointStore checkpoints;

  @Test
  void registerReturnsCreatedVersion() {
    String model = RegistryFixtures.uniqueModelName("register");
    RegisterModelVersion request = RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f);

    String body = RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(request))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201)
        .header("Location", endsWith("/models/" + model + "/versions/1"))
        .extract().asString();

    ModelVersion version = Json.read(body, ModelVersion.class);
    assertThat(version.version()).isEqualTo(1);
    assertThat(version.encoder()).isEqualTo(request.encoder());
    assertThat(version.source()).isEqualTo("import");
    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(1);
  }

  @Test
  void registerByEncoderKeyAlone() {
    String model = RegistryFixtures.uniqueModelName("by-key");
    RegisterModelVersion uploaded = RegistryFixtures.uploadRootVersion(checkpoints, model, 2.0f);
    RegisterModelVersion byKey = new RegisterModelVersion(
        null, uploaded.encoder().key(), uploaded.architecture(), uploaded.tasks(), null, null);

    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(byKey))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201)
        .body("encoder.sha256", equalTo(uploaded.encoder().sha256()));
  }

  @Test
  void registerUnknownEncoderKeyRejected() {
    String model = RegistryFixtures.uniqueModelName("unknown-key");
    RegisterModelVersion uploaded = RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f);
    String missingKey = "models/" + model + "/imports/never/encoder.safetensors";
    RegisterModelVersion request = new RegisterModelVersion(
        null, missingKey, uploaded.architecture(), uploaded.tasks(), null, null);

    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(request))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(400)
        .body("error", containsString("'" + missingKey + "' was not found in the object store"));
  }

  @Test
  void registerWrongShaRejected() {
    String model = RegistryFixtures.uniqueModelName("wrong-sha");
    RegisterModelVersion uploaded = RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f);
    CheckpointRef wrong = new CheckpointRef(uploaded.encoder().key(), "0".repeat(64), uploaded.encoder().sizeBytes());
    RegisterModelVersion request =
        new RegisterModelVersion(wrong, null, uploaded.architecture(), uploaded.tasks(), null, null);

    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(request))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(400)
        .body("error", containsString("has SHA-256 " + uploaded.encoder().sha256() + " in its manifest"));
  }

  @Test
  void registerIncompleteBodyRejected() {
    String body = "{\"encoderKey\":\"k\",\"architecture\":null,\"tasks\":[{\"task\":\"fashion\"}]}";

    RegistryFixtures.authorized().contentType(ContentType.JSON).body(body)
        .when().post("/models/{name}/versions", "incomplete")
        .then().statusCode(400)
        .body("error", containsString("Missing required field 'dataset'"));
  }

  @Test
  void invalidModelNameRejected() {
    given().when().get("/models/{name}/deployed", "-bad")
        .then().statusCode(400)
        .body("error", containsString("Invalid model name '-bad'"));
  }

  @Test
  void deployedUnknownModelNotFound() {
    given().when().get("/models/{name}/deployed", "never-registered")
        .then().statusCode(404)
        .body("error", equalTo(
            "Model 'never-registered' has no deployed version: register one with POST"
                + " /models/never-registered/versions"));
  }

  @Test
  void versionsListEveryVersion() {
    String model = RegistryFixtures.uniqueModelName("versions");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    RegisterModelVersion second = RegistryFixtures.uploadRootVersion(checkpoints, model, 3.0f);
    RegisterModelVersion withoutPromotion = new RegisterModelVersion(
        second.encoder(), null, second.architecture(), second.tasks(), null, false);
    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(withoutPromotion))
        .when().post("/models/{name}/versions", model).then().statusCode(201);

    given().when().get("/models/{name}/versions", model)
        .then().statusCode(200)
        .body("$", hasSize(2))
        .body("[1].version", equalTo(2))
        .body("[1].lineage", equalTo(null));
    given().when().get("/models/{name}/versions/{version}", model, 2)
        .then().statusCode(200)
        .body("encoder.key", equalTo(second.encoder().key()));
    given().when().get("/models/{name}/versions/{version}", model, 9)
        .then().statusCode(404)
        .body("error", containsString("has no version 9"));
    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(1);
  }

  @Test
  void modelsListDeployedVersion() {
    String model = RegistryFixtures.uniqueModelName("listed");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    given().when().get("/models")
        .then().statusCode(200)
        .body("find { it.name == '" + model + "' }.deployedVersion", equalTo(1))
        .body("name", hasItem(model));
  }

  @Test
  void rollbackMovesAliasAndHistory() {
    String model = RegistryFixtures.uniqueModelName("rollback");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    RegistryFixtures.authorized().contentType(ContentType.JSON)
        .body(Json.write(RegistryFixtures.uploadRootVersion(checkpoints, model, 4.0f)))
        .when().post("/models/{name}/versions", model).then().statusCode(201);

    RegistryFixtures.authorized().contentType(ContentType.JSON).body("{\"version\":1,\"note\":\"version 2 regressed\"}")
        .when().post("/models/{name}/rollback", model)
        .then().statusCode(200)
        .body("version", equalTo(1))
        .body("previousVersion", equalTo(2))
        .body("reason", equalTo("rollback"));

    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(1);
    given().when().get("/models/{name}/history", model)
        .then().statusCode(200)
        .body("reason", contains("import", "import", "rollback"))
        .body("[2].note", equalTo("version 2 regressed"));
  }

  @Test
  void rollbackToDeployedVersionConflicts() {
    String model = RegistryFixtures.uniqueModelName("conflict");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    RegistryFixtures.authorized().contentType(ContentType.JSON).body("{\"version\":1}")
        .when().post("/models/{name}/rollback", model)
        .then().statusCode(409)
        .body("error", containsString("a rollback must name an earlier version"));
  }

  @Test
  void rollbackWithoutVersionRejected() {
    RegistryFixtures.authorized().contentType(ContentType.JSON).body("{}")
        .when().post("/models/{name}/rollback", "any-model")
        .then().statusCode(400)
        .body("error", containsString("Missing version"));
  }

  @Test
  void metricsExportDeployedVersion() {
    String model = RegistryFixtures.uniqueModelName("metrics");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    given().when().get("/q/metrics")
        .then().statusCode(200)
        .body(containsString("paint_registry_deployed_version{model=\"" + model + "\"} 1.0"));
  }

  @Test
  void readinessReportsObjectStore() {
    given().when().get("/q/health/ready")
        .then().statusCode(200)
        .body("checks.name", hasItem("object-store"));
  }
}
