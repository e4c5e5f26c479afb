package dev.paint.registry.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The OpenAPI document that registry-service serves at /q/openapi. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class OpenApiDocumentTest {

  private static final List<String> MUTATING_PATHS =
      List.of("/models/{name}/versions", "/models/{name}/promote", "/models/{name}/rollback");

  /** Response codes of every operation, in the order the document lists them. */
  private static final Map<String, List<String>> DOCUMENTED_CODES = Map.of(
      "paths.'/models'.get", List.of("200"),
      "paths.'/models/{name}/versions'.get", List.of("200", "400", "404"),
      "paths.'/models/{name}/versions'.post", List.of("201", "400", "401"),
      "paths.'/models/{name}/versions/{version}'.get", List.of("200", "400", "404"),
      "paths.'/models/{name}/deployed'.get", List.of("200", "400", "404"),
      "paths.'/models/{name}/history'.get", List.of("200", "400", "404"),
      "paths.'/models/{name}/compare'.get", List.of("200", "400", "404"),
      "paths.'/models/{name}/promote'.post", List.of("200", "400", "401", "404", "409"),
      "paths.'/models/{name}/rollback'.post", List.of("200", "400", "401", "404", "409"));

  @Test
  void documentListsEveryPath() {
    given().queryParam("format", "json").when().get("/q/openapi")
        .then().statusCode(200)
        .body("paths", hasKey("/models"))
        .body("paths", hasKey("/models/{name}/versions"))
        .body("paths", hasKey("/models/{name}/versions/{version}"))
        .body("paths", hasKey("/models/{name}/deployed"))
        .body("paths", hasKey("/models/{name}/history"))
        .body("paths", hasKey("/models/{name}/compare"))
        .body("paths", hasKey("/models/{name}/promote"))
        .body("paths", hasKey("/models/{name}/rollback"));
  }

  @Test
  void mutatingOperationsRequireToken() {
    JsonPath document = openApi();

    Assertions.assertThat(document.getString("components.securitySchemes.apiToken.scheme")).isEqualTo("bearer");
    for (String path : MUTATING_PATHS) {
      String operation = "paths.'" + path + "'.post";
      Assertions.assertThat(document.getList(operation + ".security.apiToken")).as(path).isNotNull();
      Assertions.assertThat(document.getString(operation + ".responses.'401'.'$ref'")).as(path)
          .isEqualTo("#/components/responses/Unauthorized");
    }
  }

  @Test
  void readOperationsNeedNoToken() {
    JsonPath document = openApi();

    for (String operation : DOCUMENTED_CODES.keySet()) {
      if (operation.endsWith(".get")) {
        Assertions.assertThat(document.getList(operation + ".security")).as(operation).isNull();
      }
    }
  }

  @Test
  void everyOperationDocumentsItsCodes() {
    JsonPath document = openApi();

    Map<String, Map<String, Object>> paths = document.getMap("paths");
    List<String> operations = paths.entrySet().stream()
        .flatMap(path -> path.getValue().keySet().stream().map(method -> "paths.'" + path.getKey() + "'." + method))
        .toList();
    Assertions.assertThat(operations).containsExactlyInAnyOrderElementsOf(DOCUMENTED_CODES.keySet());
    for (Map.Entry<String, List<String>> expected : DOCUMENTED_CODES.entrySet()) {
      Map<String, Object> responses = document.getMap(expected.getKey() + ".responses");
      Assertions.assertThat(responses.keySet()).as(expected.getKey()).containsExactlyElementsOf(expected.getValue());
    }
  }

  @Test
  void everyOperationHasSummaryAndSuccessResponse() {
    JsonPath document = openApi();

    Map<String, Map<String, Object>> paths = document.getMap("paths");
    for (Map.Entry<String, Map<String, Object>> path : paths.entrySet()) {
      for (String method : path.getValue().keySet()) {
        String operation = "paths.'" + path.getKey() + "'." + method;
        Map<String, Object> responses = document.getMap(operation + ".responses");
        Assertions.assertThat(document.getString(operation + ".summary")).as(operation).isNotBlank();
        Assertions.assertThat(responses.keySet()).as(operation).anyMatch(code -> code.startsWith("2"));
        if (path.getKey().contains("{name}")) {
          Assertions.assertThat(responses.keySet()).as(operation).anyMatch(code -> code.startsWith("4"));
        }
      }
    }
  }

  @Test
  void compareDocumentsComparisonSchema() {
    given().queryParam("format", "json").when().get("/q/openapi")
        .then().statusCode(200)
        .body("paths.'/models/{name}/compare'.get.responses.'200'.content.'application/json'.schema.'$ref'",
            equalTo("#/components/schemas/VersionComparison"))
        .body("components.schemas.TaskComparison", notNullValue())
        .body("components.responses.NotFound.content.'application/json'.schema.'$ref'",
            equalTo("#/components/schemas/ErrorResponse"));
  }

  private static JsonPath openApi() {
    return given().queryParam("format", "json").when().get("/q/openapi")
        .then().statusCode(200).extract().jsonPath();
  }
}
