package dev.paint.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.paint.registry.support.RegistryFixtures;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The API token on the registry's mutating endpoints, with the token of the test profile configured. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ApiTokenTest {

  @Inject
  CheckpointStore checkpoints;

  @Test
  void registerWithoutTokenUnauthorized() {
    String model = RegistryFixtures.uniqueModelName("no-token");
    String body = Json.write(RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f));

    given().contentType(ContentType.JSON).body(body)
        .when().post("/models/{name}/versions", model)
        .then().statusCode(401)
        .header("WWW-Authenticate", equalTo("Bearer realm=\"paint-registry\""))
        .body("error", containsString("Missing API token"));

    given().when().get("/models/{name}/versions", model)
        .then().statusCode(404);
  }

  @Test
  void registerWithWrongTokenUnauthorized() {
    String model = RegistryFixtures.uniqueModelName("wrong-token");
    String body = Json.write(RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f));

    given().header("Authorization", "Bearer " + RegistryFixtures.apiToken() + "x")
        .contentType(ContentType.JSON).body(body)
        .when().post("/models/{name}/versions", model)
        .then().statusCode(401)
        .body("error", containsString("Invalid API token"));
  }

  @Test
  void registerWithTokenCreated() {
    String model = RegistryFixtures.uniqueModelName("lowercase");
    String body = Json.write(RegistryFixtures.uploadRootVersion(checkpoints, model, 1.0f));

    // RFC 9110 makes the scheme name case-insensitive.
    given().header("Authorization", "bearer " + RegistryFixtures.apiToken())
        .contentType(ContentType.JSON).body(body)
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201);
  }

  @Test
  void rollbackAndPromoteWithoutTokenUnauthorized() {
    String model = RegistryFixtures.uniqueModelName("mutations");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    given().contentType(ContentType.JSON).body("{\"version\":1}")
        .when().post("/models/{name}/rollback", model)
        .then().statusCode(401);
    given().header("Authorization", "Basic dXNlcjpwYXNz").contentType(ContentType.JSON)
        .body("{\"version\":2,\"expectedDeployedVersion\":1}")
        .when().post("/models/{name}/promote", model)
        .then().statusCode(401)
        .body("error", containsString("Missing API token"));
  }

  @Test
  void readsOpenWithoutToken() {
    String model = RegistryFixtures.uniqueModelName("open-reads");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    given().when().get("/models").then().statusCode(200).body("name", hasItem(model));
    given().when().get("/models/{name}/deployed", model).then().statusCode(200);
    given().when().get("/models/{name}/history", model).then().statusCode(200);
  }
}
