package dev.paint.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registry started without an API token and with {@code paint.registry.reads-require-token=true}. */
@QuarkusTest
@TestProfile(ApiTokenMissingTest.NoTokenProfile.class)
@WithTestResource(LocalStackResource.class)
class ApiTokenMissingTest {

  /** Removes the test profile's token, because an empty value counts as not set, and closes reads. */
  public static class NoTokenProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("paint.registry.api-token", "", "paint.registry.reads-require-token", "true");
    }
  }

  @Test
  void mutationsRejectedWithoutConfiguredToken() {
    given().header("Authorization", "Bearer any-token-of-sufficient-length").contentType(ContentType.JSON)
        .body("{\"version\":1}")
        .when().post("/models/{name}/rollback", "any-model")
        .then().statusCode(401)
        .body("error", containsString("registry-service has no API token configured"));
  }

  @Test
  void readsRejectedWhenTokenRequired() {
    given().when().get("/models")
        .then().statusCode(401)
        .body("error", containsString("accepts no GET request"));
  }

  @Test
  void healthAndMetricsStayOpen() {
    given().when().get("/q/health/live").then().statusCode(200);
    given().when().get("/q/metrics").then().statusCode(200);
  }
}
