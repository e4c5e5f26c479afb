package dev.paint.registry.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.registry.support.RegistryFixtures;
import dev.paint.registry.support.TopicRecorder;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.LocalStackResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /models/{name}/promote against the real object store and broker. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class ManualPromotionTest {

  private static TopicRecorder recorder;

  @Inject
  CheckpointStore checkpoints;

  @BeforeAll
  static void recordPromotions() {
    String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    recorder = new TopicRecorder(bootstrapServers, List.of(Topics.MODEL_PROMOTED));
  }

  @AfterAll
  static void stopRecording() throws InterruptedException {
    if (recorder != null) {
      recorder.close();
    }
  }

  @Test
  void promoteMovesAliasAndPublishesEvent() {
    String model = modelWithUndeployedSecondVersion("manual");

    promote(model, "{\"version\":2,\"expectedDeployedVersion\":1,\"note\":\"passed review\"}")
        .then().statusCode(200)
        .body("version", equalTo(2))
        .body("previousVersion", equalTo(1))
        .body("reason", equalTo("manual"))
        .body("note", equalTo("passed review"));

    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(30)).until(() -> manualPromotions(model).size() == 1);
    ModelPromoted event = manualPromotions(model).get(0);
    assertThat(event.version()).isEqualTo(2);
    assertThat(event.previousVersion()).isEqualTo(1);
    assertThat(event.taskId()).isNull();
  }

  @Test
  void promoteWithStaleExpectationConflicts() {
    String model = modelWithUndeployedSecondVersion("stale");

    promote(model, "{\"version\":2,\"expectedDeployedVersion\":2}")
        .then().statusCode(409)
        .body("error", containsString("version 1 is deployed, not the expected version 2"));

    assertThat(RegistryFixtures.deployed(model).version()).isEqualTo(1);
  }

  @Test
  void promoteToOlderVersionConflicts() {
    String model = modelWithUndeployedSecondVersion("older");
    promote(model, "{\"version\":2,\"expectedDeployedVersion\":1}").then().statusCode(200);

    promote(model, "{\"version\":1,\"expectedDeployedVersion\":2}")
        .then().statusCode(409)
        .body("error", containsString("use POST /models/" + model + "/rollback"));
  }

  @Test
  void promoteUnknownVersionNotFound() {
    String model = RegistryFixtures.uniqueModelName("unknown");
    RegistryFixtures.registerRootVersion(checkpoints, model);

    promote(model, "{\"version\":5,\"expectedDeployedVersion\":1}")
        .then().statusCode(404)
        .body("error", containsString("has no version 5"));
  }

  @Test
  void promoteWithoutExpectationRejected() {
    promote("any-model", "{\"version\":2}")
        .then().statusCode(400)
        .body("error", containsString("Missing version or expectedDeployedVersion"));
  }

  private String modelWithUndeployedSecondVersion(String prefix) {
    String model = RegistryFixtures.uniqueModelName(prefix);
    RegistryFixtures.registerRootVersion(checkpoints, model);
    RegisterModelVersion second = RegistryFixtures.uploadRootVersion(checkpoints, model, 5.0f);
    RegisterModelVersion undeployed =
        new RegisterModelVersion(second.encoder(), null, second.architecture(), second.tasks(), null, false);
    RegistryFixtures.authorized().contentType(ContentType.JSON).body(Json.write(undeployed))
        .when().post("/models/{name}/versions", model)
        .then().statusCode(201);
    return model;
  }

  private static Response promote(String model, String body) {
    return RegistryFixtures.authorized().contentType(ContentType.JSON).body(body)
        .when().post("/models/{name}/promote", model);
  }

  private static List<ModelPromoted> manualPromotions(String model) {
    return recorder.received(Topics.MODEL_PROMOTED, model).stream()
        .map(record -> Json.read(record.value(), ModelPromoted.class))
        .filter(promoted -> "manual".equals(promoted.reason()))
        .toList();
  }
}
