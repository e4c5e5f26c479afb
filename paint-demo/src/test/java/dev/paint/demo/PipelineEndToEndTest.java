package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.Topics;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.ObjectKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * One small patch task through the real pipeline, with a real broker and object store and the four packaged services as
 * child processes. The base encoder is pretrained for one epoch on 3,000 Fashion-MNIST images, and the MNIST patch task
 * trains on 1,000 images with a 3-value alpha grid. After the promotion, a real Prometheus scrapes the services and must
 * return the promotion counter and load the alert rules. Maven's failsafe plugin runs it in the verify phase, after the
 * services were packaged. It fails when their quarkus-run.jar files, the dataset files or /usr/bin/prometheus are
 * missing.
 */
class PipelineEndToEndTest {

  private static final String MODEL = "paint-e2e";
  private static final List<Double> ALPHAS = List.of(0.0, 0.5, 1.0);
  /** Alerting rules of deploy/prometheus/alerts.yml that Prometheus must load. */
  private static final List<String> ALERTS = List.of("PaintServiceDown", "PaintPatchTaskFailed",
      "PaintPromotionFailed", "PaintPromotionRejectedStale", "PaintRecordDeadLettered", "PaintConsumerLagGrowing",
      "PaintChannelMessageFailed");

  @Test
  void smallPatchTaskOnShardedBaseIsPromoted() throws Exception {
    DemoSettings settings = smallSettings();
    AtomicReference<DeployedModel> deployed = new AtomicReference<>();
    AtomicReference<List<ModelPromoted>> promotions = new AtomicReference<>();
    AtomicReference<List<EncoderFineTuned>> fineTuned = new AtomicReference<>();
    AtomicReference<ScrapedByPrometheus> scraped = new AtomicReference<>();

    DemoReport report = new PaintDemo(settings, System.out).run(pipeline -> {
      deployed.set(pipeline.registry().deployed(MODEL));
      promotions.set(readPromotions(pipeline.bootstrapServers(), 2));
      fineTuned.set(readEvents(pipeline.bootstrapServers(), Topics.ENCODER_FINE_TUNED, EncoderFineTuned.class, 1));
      scraped.set(scrapeWithPrometheus(pipeline, settings.workDirectory().resolve("prometheus")));
    });

    System.out.print(ReportFormatter.format(report));
    assertThat(report.failure()).isNull();
    PatchReport patch = report.models().get(0).patches().get(0);
    assertThat(patch.status()).isEqualTo(DemoReport.PatchStatus.PROMOTED);
    assertThat(patch.version()).isEqualTo(2);
    assertThat(patch.previousVersion()).isEqualTo(1);
    assertThat(patch.alpha()).isIn(ALPHAS);
    assertThat(patch.alphas()).isEqualTo(ALPHAS);
    assertThat(patch.validationCurves()).containsOnlyKeys("fashion-mnist", "mnist");

    ModelPromoted promotion = promotions.get().stream()
        .filter(event -> patch.taskId().equals(event.taskId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No ModelPromoted event for task " + patch.taskId()));
    assertThat(promotion.version()).isEqualTo(2);
    assertThat(promotion.previousVersion()).isEqualTo(1);
    assertThat(promotion.alpha()).isIn(ALPHAS);
    assertThat(promotion.accuracy()).containsOnlyKeys("fashion-mnist", "mnist");
    for (TaskAccuracy accuracy : promotion.accuracy().values()) {
      assertThat(accuracy.baseTest()).isBetween(0.0, 100.0);
      assertThat(accuracy.fineTunedTest()).isBetween(0.0, 100.0);
      assertThat(accuracy.patchedTest()).isBetween(0.0, 100.0);
    }

    // The base was registered sharded, so every service read an index and its shards, and the fine-tuned encoder, the
    // candidates and the promoted encoder took the base's layout.
    assertThat(deployed.get().rootEncoder().key()).endsWith(Checkpoints.INDEX_SUFFIX);
    assertThat(fineTuned.get()).extracting(event -> event.fineTuned().key())
        .containsExactly(ObjectKeys.fineTunedShardedEncoder(MODEL, patch.taskId()));
    assertThat(promotion.encoder().key()).endsWith("/encoder" + Checkpoints.INDEX_SUFFIX);
    assertThat(deployed.get().encoder()).isEqualTo(promotion.encoder());

    assertThat(deployed.get().version()).isEqualTo(2);
    assertThat(deployed.get().tasks()).extracting(task -> task.task()).containsExactly("fashion-mnist", "mnist");

    // The demo starts the interpolator with the Vector API module, as its image and the README's command do.
    Path interpolatorLog = settings.logDirectory().resolve(PaintService.INTERPOLATOR.module() + ".log");
    assertThat(Files.readString(interpolatorLog)).as("startup log of the interpolator, %s", interpolatorLog)
        .contains("F16 and BF16 chunks mixed on the Vector API");

    assertThat(scraped.get().promotions()).as("paint_promotions_total read through Prometheus, see "
        + scraped.get().logFile()).isGreaterThanOrEqualTo(1.0);
    assertThat(scraped.get().alertNames()).as("alert rules loaded by Prometheus").containsAll(ALERTS);
  }

  /** What a real Prometheus scraped from the running services, read back through its HTTP API. */
  private record ScrapedByPrometheus(double promotions, List<String> alertNames, Path logFile) {}

  /**
   * Starts Prometheus against the running services and waits until its HTTP API returns the model's promotion counter
   * and the alert rules of deploy/prometheus.
   */
  private static ScrapedByPrometheus scrapeWithPrometheus(PaintDemo.RunningPipeline pipeline, Path directory) {
    Path rules = RepositoryLayout.locate(null).root().resolve("deploy/prometheus/alerts.yml");
    String promoted = "paint_promotions_total{job=\"registry-service\",model=\"" + MODEL
        + "\",outcome=\"promoted\"}";
    try (PrometheusServer prometheus = PrometheusServer.start(pipeline.services(), rules, directory)) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> !prometheus.query(promoted).isEmpty() && prometheus.alertNames().containsAll(ALERTS));
      double value = prometheus.query(promoted).get(0).path("value").get(1).asDouble();
      return new ScrapedByPrometheus(value, prometheus.alertNames(), prometheus.logFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Starting Prometheus in " + directory + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping Prometheus", e);
    }
  }

  private static DemoSettings smallSettings() {
    RepositoryLayout repository = RepositoryLayout.locate(null);
    DemoSettings defaults = DemoSettings.defaults(repository, System.getenv());
    Path workDirectory = repository.root().resolve("paint-demo").resolve("target").resolve("e2e-work");
    // Few steps per epoch, so the warm-up is short enough to reach the peak learning rate.
    Hyperparameters pretraining = new Hyperparameters(1e-3, 1, 128, 0.1, 5, 1.0, 0L, 0);
    Hyperparameters patch = new Hyperparameters(1e-3, 1, null, null, 2, null, null, 1000);

    return new DemoSettings(
        repository,
        workDirectory,
        defaults.dataDirectory(),
        workDirectory.resolve("demo-report.json"),
        MODEL,
        List.of(SelectionRule.MEAN_ACCURACY),
        DemoSettings.DEFAULT_TOLERANCE_POINTS,
        List.of(PatchTaskSpec.of(BuiltinDataset.MNIST)),
        3_000,
        1_000,
        EncoderSpec.DEMO,
        pretraining,
        patch,
        ALPHAS,
        null,
        true,
        Duration.ofMinutes(5),
        Duration.ofMinutes(15));
  }

  /** Reads {@link Topics#MODEL_PROMOTED} from the beginning until {@code count} events arrived or 30 s passed. */
  private static List<ModelPromoted> readPromotions(String bootstrapServers, int count) {
    return readEvents(bootstrapServers, Topics.MODEL_PROMOTED, ModelPromoted.class, count);
  }

  /** Reads up to {@code count} events of {@code topic} from its start, waiting at most 30 s for them. */
  private static <T> List<T> readEvents(String bootstrapServers, String topic, Class<T> type, int count) {
    List<T> events = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (events.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          events.add(Json.read(record.value(), type));
        }
      }
    }
    return events;
  }
}
