package dev.paint.registry.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paint.registry.support.RegistryFixtures;
import dev.paint.shared.event.CandidateSelected;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.Topics;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import dev.paint.testing.PrometheusSamples;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The registry's meters as Prometheus reads them from /q/metrics, after one candidate was promoted. */
@QuarkusTest
@WithTestResource(LocalStackResource.class)
class RegistryMetricsExportTest {

  private static final Duration METRICS_TIMEOUT = Duration.ofSeconds(60);

  @Inject
  CheckpointStore checkpoints;

  @Test
  void promotionMovesRegistryMeters() {
    String model = RegistryFixtures.uniqueModelName("metrics");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    CandidateSelected candidate =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-m", "mnist", 0.5);

    publish(candidate);
    await().atMost(Duration.ofSeconds(30)).until(() -> RegistryFixtures.deployed(model).version() == 2);

    PrometheusSamples metrics = scrape();
    Map<String, String> byModel = Map.of("model", model);
    TaskAccuracy mnist = candidate.accuracy().get("mnist");
    assertThat(metrics.sum("paint_promotions_total", Map.of("model", model, "outcome", "promoted")))
        .hasValue(1.0);
    assertThat(metrics.sum("paint_registry_deployed_version", byModel)).hasValue(2.0);
    assertThat(metrics.sum("paint_registry_task_accuracy", Map.of("model", model, "task", "mnist", "split", "test")))
        .hasValue(mnist.patchedTest());
    assertThat(metrics.sum("paint_pipeline_latency_seconds_count", byModel)).hasValue(1.0);
    // The candidate was submitted 5 s before it was published (RegistryFixtures.candidate).
    assertThat(metrics.sum("paint_pipeline_latency_seconds_sum", byModel).orElseThrow()).isGreaterThanOrEqualTo(5.0);
  }

  @Test
  void staleCandidateCountedAsRejected() {
    String model = RegistryFixtures.uniqueModelName("metrics-stale");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    CandidateSelected first =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-1", "mnist", 0.5);
    CandidateSelected stale =
        RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-2", "mnist", 0.25);

    publish(first);
    publish(stale);

    Map<String, String> rejected = Map.of("model", model, "outcome", "rejected_stale");
    await().atMost(METRICS_TIMEOUT).until(() -> scrape().sum("paint_promotions_total", rejected).isPresent());
    assertThat(scrape().sum("paint_promotions_total", rejected)).hasValue(1.0);
  }

  @Test
  void kafkaConsumerMetersExported() {
    String model = RegistryFixtures.uniqueModelName("metrics-kafka");
    RegistryFixtures.registerRootVersion(checkpoints, model);
    publish(RegistryFixtures.candidate(checkpoints, RegistryFixtures.deployed(model), "task-k", "mnist", 0.5));
    await().atMost(Duration.ofSeconds(30)).until(() -> RegistryFixtures.deployed(model).version() == 2);

    // Micrometer's Kafka binder looks for new client metrics periodically, so the consumer meters can take a while.
    await().atMost(METRICS_TIMEOUT).untilAsserted(
        () -> assertThat(scrape().kafkaChannelProblem(CandidateSelectedConsumer.CHANNEL)).isNull());
  }

  private static void publish(CandidateSelected event) {
    String bootstrapServers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    KafkaEvents.publish(
        bootstrapServers, Topics.CANDIDATE_SELECTED, event.base().modelName(), EventTypes.CANDIDATE_SELECTED, event);
  }

  private static PrometheusSamples scrape() {
    return PrometheusSamples.parse(given().when().get("/q/metrics").then().statusCode(200).extract().asString());
  }
}
