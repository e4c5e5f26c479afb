package dev.paint.examples.subscriber.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paint.examples.subscriber.service.PromotionHandler;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.EventTypes;
import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.Topics;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.testing.KafkaEvents;
import dev.paint.testing.LocalStackResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The subscriber against a real broker and object store. Every test continues from whatever version the previous test
 * left served, because the application follows one model for its whole life.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class ModelPromotedConsumerTest {

  private static final String MODEL = "subscriber-test";
  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 8, 10.0);
  private static final List<String> CLASSES = List.of("top", "bottom");
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @Inject CheckpointStore checkpoints;
  @Inject MeterRegistry meters;
  @TempDir Path directory;

  @Test
  void promotionsSwapServedEncoder() {
    int base = servedVersion();
    ModelPromoted first = storeVersion(base + 1, 11, "patch");
    ModelPromoted second = storeVersion(base + 2, 12, "patch");

    publish(first);
    awaitServed(base + 1);
    Response afterFirst = given().get("/model");
    publish(second);
    awaitServed(base + 2);
    Response afterSecond = given().get("/model");

    assertThat(afterFirst.jsonPath().getString("modelName")).isEqualTo(MODEL);
    assertThat(afterFirst.jsonPath().getList("tasks")).containsExactly("halves");
    assertThat(afterFirst.jsonPath().getString("encoderSha256")).isEqualTo(first.encoder().sha256());
    assertThat(afterSecond.jsonPath().getString("encoderSha256")).isEqualTo(second.encoder().sha256());
    assertThat(second.encoder().sha256()).isNotEqualTo(first.encoder().sha256());
  }

  @Test
  void classifyUsesServedEncoderAndHead() throws Exception {
    int version = servedVersion() + 1;
    ModelPromoted event = storeVersion(version, 21, "patch");
    publish(event);
    awaitServed(version);
    int[] pixels = randomPixels(6, 5);

    Response response = given().contentType(ContentType.JSON)
        .body(Map.of("pixels", pixels, "count", 6)).post("/classify/halves");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.jsonPath().getInt("version")).isEqualTo(version);
    List<String> expected = expectedPredictions(event, pixels, 6);
    assertThat(response.jsonPath().getList("predictions", String.class)).isEqualTo(expected);
  }

  @Test
  void registryRequestsCarryApiToken() {
    int version = servedVersion() + 1;
    RegistryStandIn.LAST_AUTHORIZATION.set(null);

    publish(storeVersion(version, 25, "patch"));
    awaitServed(version);

    assertThat(RegistryStandIn.LAST_AUTHORIZATION.get()).isEqualTo("Bearer " + RegistryStandIn.API_TOKEN);
  }

  @Test
  void registryStandInRejectsMissingToken() {
    int version = servedVersion() + 1;
    storeVersion(version, 26, "patch");

    Response withoutToken = given().get("/models/" + MODEL + "/versions/" + version);
    Response wrongToken = given().header("Authorization", "Bearer wrong-token-0123456789")
        .get("/models/" + MODEL + "/versions/" + version);

    assertThat(withoutToken.statusCode()).isEqualTo(401);
    assertThat(wrongToken.statusCode()).isEqualTo(401);
  }

  @Test
  void stalePatchVersionIsIgnored() {
    int base = servedVersion();
    ModelPromoted older = storeVersion(base + 1, 31, "patch");
    ModelPromoted newer = storeVersion(base + 2, 32, "patch");
    publish(newer);
    awaitServed(base + 2);
    double ignoredBefore = count(PromotionHandler.Outcome.IGNORED);

    publish(older);
    await().atMost(LIMIT).until(() -> count(PromotionHandler.Outcome.IGNORED) > ignoredBefore);

    assertThat(servedVersion()).isEqualTo(base + 2);
    assertThat(given().get("/model").jsonPath().getString("encoderSha256")).isEqualTo(newer.encoder().sha256());
  }

  @Test
  void rollbackToLowerVersionIsApplied() {
    int base = servedVersion();
    ModelPromoted target = storeVersion(base + 1, 41, "patch");
    publish(target);
    awaitServed(base + 1);
    publish(storeVersion(base + 2, 42, "patch"));
    awaitServed(base + 2);
    ModelPromoted rollback = new ModelPromoted(MODEL, base + 1, base + 2, null, null, target.encoder(),
        target.tasks(), Map.of(), "rollback", Instant.now());

    publish(rollback);
    awaitServed(base + 1);

    assertThat(given().get("/model").jsonPath().getString("encoderSha256")).isEqualTo(target.encoder().sha256());
  }

  @Test
  void malformedEventKeepsServedModel() {
    int version = servedVersion() + 1;
    publish(storeVersion(version, 51, "patch"));
    awaitServed(version);
    double rejectedBefore = count(PromotionHandler.Outcome.REJECTED);

    KafkaEvents.publishRaw(bootstrap(), Topics.MODEL_PROMOTED, MODEL, EventTypes.MODEL_PROMOTED, "{malformed");
    KafkaEvents.publishRaw(bootstrap(), Topics.MODEL_PROMOTED, MODEL, "dev.paint.model.promoted.v9",
        "{\"modelName\":\"" + MODEL + "\",\"version\":" + (version + 1) + "}");
    await().atMost(LIMIT).until(() -> count(PromotionHandler.Outcome.REJECTED) >= rejectedBefore + 2);

    assertThat(servedVersion()).isEqualTo(version);
    assertThat(given().contentType(ContentType.JSON).body(Map.of("pixels", randomPixels(1, 2), "count", 1))
        .post("/classify/halves").statusCode()).isEqualTo(200);
  }

  @Test
  void otherModelIsIgnored() {
    int version = servedVersion() + 1;
    publish(storeVersion(version, 61, "patch"));
    awaitServed(version);
    double ignoredBefore = count(PromotionHandler.Outcome.IGNORED);
    ModelPromoted other = storeVersion(version + 1, 62, "patch");

    publish(new ModelPromoted("another-model", other.version(), null, null, null, other.encoder(), other.tasks(),
        Map.of(), "import", Instant.now()));
    await().atMost(LIMIT).until(() -> count(PromotionHandler.Outcome.IGNORED) > ignoredBefore);

    assertThat(servedVersion()).isEqualTo(version);
  }

  @Test
  void unknownTaskAndWrongSizeAreRejected() {
    int version = servedVersion() + 1;
    publish(storeVersion(version, 71, "patch"));
    awaitServed(version);

    Response unknownTask = given().contentType(ContentType.JSON)
        .body(Map.of("pixels", randomPixels(1, 3), "count", 1)).post("/classify/no-such-task");
    Response wrongSize = given().contentType(ContentType.JSON)
        .body(Map.of("pixels", randomPixels(1, 3), "count", 2)).post("/classify/halves");
    Response outOfRange = given().contentType(ContentType.JSON)
        .body(Map.of("pixels", pixelsWith(300), "count", 1)).post("/classify/halves");

    assertThat(unknownTask.statusCode()).isEqualTo(404);
    assertThat(unknownTask.jsonPath().getString("error")).contains("no-such-task").contains("[halves]");
    assertThat(wrongSize.statusCode()).isEqualTo(400);
    assertThat(wrongSize.jsonPath().getString("error")).contains("64 pixel values").contains("expected 128");
    assertThat(outOfRange.statusCode()).isEqualTo(400);
    assertThat(outOfRange.jsonPath().getString("error")).contains("300");
  }

  @Test
  void promotionsAreExportedAsMetric() {
    int version = servedVersion() + 1;

    publish(storeVersion(version, 81, "patch"));
    awaitServed(version);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

    assertThat(metrics).containsPattern(
        "paint_subscriber_promotions_total\\{model=\"" + MODEL + "\",outcome=\"applied\"} [1-9]");
  }

  /** Stores an encoder made from {@code seed} and a head, registers the version and returns its event. */
  private ModelPromoted storeVersion(int version, long seed, String reason) {
    Path encoderFile = directory.resolve("encoder-" + version + "-" + seed + ".safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), seed)) {
      encoder.save(encoderFile, Map.of());
    }
    String encoderKey = "models/" + MODEL + "/imports/v" + version + "-" + seed + "/encoder.safetensors";
    CheckpointRef encoder = checkpoints.upload(encoderKey, encoderFile);
    Path headFile = directory.resolve("head-" + seed + ".safetensors");
    ClassificationHead.random(CLASSES.size(), SPEC.embeddingDim(), seed).save(headFile, Map.of());
    CheckpointRef head = checkpoints.upload("models/" + MODEL + "/heads/halves-" + seed + ".safetensors", headFile);
    RegistryStandIn.register(MODEL, version, encoder, SPEC);

    TaskHead halves = new TaskHead("halves", "halves", CLASSES, head, TaskRole.SUPPORTED);
    return new ModelPromoted(MODEL, version, null, null, null, encoder, List.of(halves), Map.of(), reason,
        Instant.now());
  }

  /** Computes the predictions directly from the stored checkpoints, as the served model should. */
  private List<String> expectedPredictions(ModelPromoted event, int[] pixels, int count) throws Exception {
    Path encoderFile = directory.resolve("expected-encoder.safetensors");
    Path headFile = directory.resolve("expected-head.safetensors");
    checkpoints.download(event.encoder(), encoderFile);
    checkpoints.download(event.tasks().get(0).head(), headFile);
    ClassificationHead head = ClassificationHead.load(headFile, CLASSES.size(), SPEC.embeddingDim());
    List<String> expected = new ArrayList<>();
    try (Encoder encoder = Encoder.load(SPEC, encoderFile, Device.cpu());
        NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      float[] scaled = new float[pixels.length];
      for (int i = 0; i < pixels.length; i++) {
        scaled[i] = pixels[i] / 255f;
      }
      NDArray images = manager.create(scaled, new Shape(count, 1, 8, 8));
      long[] predicted = encoder.embed(images).matMul(head.toArray(manager).transpose()).argMax(1).toLongArray();
      for (long index : predicted) {
        expected.add(CLASSES.get((int) index));
      }
    }
    return expected;
  }

  private void publish(ModelPromoted event) {
    KafkaEvents.publish(bootstrap(), Topics.MODEL_PROMOTED, event.modelName(), EventTypes.MODEL_PROMOTED, event);
  }

  private void awaitServed(int version) {
    await().atMost(LIMIT).until(() -> servedVersion() == version);
  }

  /** The served version, or 0 while none is served. */
  private static int servedVersion() {
    Response response = given().get("/model");
    return response.statusCode() == 409 ? 0 : response.jsonPath().getInt("version");
  }

  private double count(PromotionHandler.Outcome outcome) {
    Counter counter = meters.find(PromotionHandler.PROMOTIONS_METRIC).tag("outcome", outcome.tag()).counter();
    return counter == null ? 0 : counter.count();
  }

  private static int[] randomPixels(int count, long seed) {
    Random random = new Random(seed);
    int[] pixels = new int[count * 64];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextInt(256);
    }
    return pixels;
  }

  private static int[] pixelsWith(int value) {
    int[] pixels = new int[64];
    pixels[10] = value;
    return pixels;
  }

  private static String bootstrap() {
    return LocalStackResource.broker().bootstrapServers();
  }
}
