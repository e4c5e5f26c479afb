package dev.paint.cli;

import static dev.paint.cli.TestStack.runCli;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paint.cli.TestStack.CliResult;
import dev.paint.shared.checkpoint.CheckpointManifest;
import dev.paint.shared.checkpoint.ShardedCheckpointManifest;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.ObjectStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * register-model against a real object store. The registry is a JDK HTTP server on 127.0.0.1 that records the request
 * and responds as registry-service does, because starting the Quarkus service would take most of the test budget.
 */
class RegisterModelCommandTest {

  /** A small encoder for 8x8 grayscale images with 16-dimensional embeddings, quick to build on a CPU. */
  private static final EncoderSpec SPEC = new EncoderSpec(1, 8, List.of(4), List.of(), 16, 10.0);
  private static final List<String> CLASSES = List.of("a", "b", "c");
  private static final String REGISTRY_TOKEN = "cli-test-registry-token-0123456789";

  @TempDir
  static Path files;

  private static Path encoderFile;
  private static Path architectureFile;

  private String bucket;
  private ObjectStore store;
  private Map<String, String> environment;
  private HttpServer registry;
  private final List<String> registryRequests = new CopyOnWriteArrayList<>();
  private final List<String> postedBodies = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void writeEncoder() throws IOException {
    encoderFile = files.resolve("encoder.safetensors");
    try (Encoder encoder = Encoder.create(SPEC, Device.cpu(), 0)) {
      encoder.save(encoderFile, Map.of());
    }
    architectureFile = files.resolve("architecture.json");
    Files.writeString(architectureFile, Json.write(SPEC));
  }

  @BeforeEach
  void storeDatasetAndStartRegistry() throws IOException {
    bucket = TestStack.uniqueBucket();
    store = TestStack.connect(bucket);
    new DatasetStore(store).upload(letters(), Map.of());

    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    registry.createContext("/models/", this::answerAsRegistry);
    registry.start();
    environment = new HashMap<>(TestStack.objectStoreEnvironment(bucket));
    environment.put(ConnectionOptions.REGISTRY_URL_ENV,
        "http://127.0.0.1:" + registry.getAddress().getPort());
    environment.put(ConnectionOptions.REGISTRY_TOKEN_ENV, REGISTRY_TOKEN);
  }

  @AfterEach
  void stopRegistry() {
    registry.stop(0);
  }

  @Test
  void registrationWithoutTokenFails() {
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());
    environment.remove(ConnectionOptions.REGISTRY_TOKEN_ENV);

    CliResult result = register("--head", "letters=letters=" + head);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).contains("returned status 401", "Missing API token", "PAINT_REGISTRY_API_TOKEN");
    assertThat(registryRequests).containsExactly("POST /models/letters-model/versions");
  }

  @Test
  void registrationWithTokenFileSendsToken() throws IOException {
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());
    Path tokenFile = files.resolve("registry-token");
    Files.writeString(tokenFile, REGISTRY_TOKEN + "\n");
    environment.remove(ConnectionOptions.REGISTRY_TOKEN_ENV);

    CliResult result = register("--head", "letters=letters=" + head, "--registry-token-file", tokenFile.toString());

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(registryRequests).contains("POST /models/letters-model/versions");
  }

  @Test
  void wrongHeadRowCountRejectedBeforeUpload() {
    Path head = writeHead("five-rows.safetensors", 5, SPEC.embeddingDim());

    CliResult result = register("--head", "letters=letters=" + head);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).contains(head.toString(), "[5, 16]", "3 classes", "nothing was uploaded");
    assertThat(store.list("models/")).isEmpty();
    assertThat(registryRequests).isEmpty();
  }

  @Test
  void encoderNotMatchingArchitectureRejected() throws IOException {
    EncoderSpec wider = new EncoderSpec(1, 8, List.of(4), List.of(), 32, 10.0);
    Path architecture = files.resolve("wider.json");
    Files.writeString(architecture, Json.write(wider));
    Path head = writeHead("wide-head.safetensors", CLASSES.size(), 32);

    CliResult result = runCli(environment, "register-model", "--model", "letters-model", "--encoder",
        encoderFile.toString(), "--architecture", architecture.toString(), "--head", "letters=letters=" + head);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).startsWith("Encoder " + encoderFile + " does not load with architecture "
        + architecture);
    assertThat(result.err()).contains("proj.weight", "[16, 64]", "[32, 64]");
    assertThat(store.list("models/")).isEmpty();
  }

  @Test
  void registrationUploadsCheckpointsAndPostsVersion() {
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());

    CliResult result = register("--head", "letters=letters=" + head);

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(result.out()).contains("Registered model letters-model version 1", "the deployed version is 1");
    assertThat(postedBodies).hasSize(1);
    JsonNode body = Json.read(postedBodies.get(0), JsonNode.class);
    CheckpointStore checkpoints = new CheckpointStore(store);
    String encoderKey = body.path("encoder").path("key").asText();
    assertThat(encoderKey).matches("models/letters-model/imports/[0-9a-f-]{36}/encoder\\.safetensors");
    assertThat(body.path("encoder").path("sha256").asText()).isEqualTo(checkpoints.find(encoderKey).sha256());
    assertThat(body.path("encoder").path("sha256").asText())
        .isEqualTo(CheckpointManifest.describe(encoderFile).sha256());
    assertThat(Json.mapper().convertValue(body.path("architecture"), EncoderSpec.class)).isEqualTo(SPEC);
    assertThat(body.path("promote").asBoolean()).isTrue();
    JsonNode task = body.path("tasks").get(0);
    assertThat(task.path("task").asText()).isEqualTo("letters");
    assertThat(task.path("dataset").asText()).isEqualTo("letters");
    assertThat(task.path("role").asText()).isEqualTo("SUPPORTED");
    assertThat(Json.mapper().convertValue(task.path("classNames"), List.class)).isEqualTo(CLASSES);
    CheckpointRef storedHead = checkpoints.find(ObjectKeys.head("letters-model", "letters"));
    assertThat(task.path("head").path("key").asText()).isEqualTo(storedHead.key());
    assertThat(task.path("head").path("sha256").asText()).isEqualTo(storedHead.sha256());
  }

  @Test
  void shardedEncoderUploadedWithShards() throws IOException {
    Path shardedEncoder = files.resolve("sharded/model.safetensors.index.json");
    Files.createDirectories(shardedEncoder.getParent());
    try (Encoder encoder = Encoder.load(SPEC, encoderFile, Device.cpu())) {
      encoder.save(shardedEncoder, Map.of());
    }
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());

    CliResult result = runCli(environment, "register-model", "--model", "letters-model", "--encoder",
        shardedEncoder.toString(), "--architecture", architectureFile.toString(), "--head", "letters=letters=" + head);

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    JsonNode body = Json.read(postedBodies.get(0), JsonNode.class);
    String encoderKey = body.path("encoder").path("key").asText();
    assertThat(encoderKey).matches("models/letters-model/imports/[0-9a-f-]{36}/encoder\\.safetensors\\.index\\.json");
    String folder = encoderKey.substring(0, encoderKey.lastIndexOf('/') + 1);
    assertThat(store.list(folder)).containsExactly(folder + "encoder.safetensors.index.json",
        folder + "encoder.safetensors.index.json.manifest.json", folder + "model-00001-of-00002.safetensors",
        folder + "model-00002-of-00002.safetensors");
    assertThat(body.path("encoder").path("sha256").asText())
        .isEqualTo(new CheckpointStore(store).find(encoderKey).sha256());
    assertThat(body.path("encoder").path("sha256").asText())
        .isEqualTo(ShardedCheckpointManifest.describe(shardedEncoder).sha256());
  }

  @Test
  void noPromoteIsSentAsPromoteFalse() {
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());

    CliResult result = register("--head", "letters=letters=" + head, "--no-promote");

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(Json.read(postedBodies.get(0), JsonNode.class).path("promote").asBoolean()).isFalse();
  }

  @Test
  void changedHeadOfStoredTaskRejected() {
    CheckpointStore checkpoints = new CheckpointStore(store);
    String key = ObjectKeys.head("letters-model", "letters");
    CheckpointRef stored = checkpoints.upload(key, writeHead("stored.safetensors", CLASSES.size(), 16, 1));
    Path changed = writeHead("changed.safetensors", CLASSES.size(), 16, 2);

    CliResult result = register("--head", "letters=letters=" + changed);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).contains("s3://" + bucket + "/" + key, stored.sha256(), changed.toString());
    assertThat(checkpoints.find(key).sha256()).isEqualTo(stored.sha256());
    assertThat(store.list("models/letters-model/imports/")).isEmpty();
  }

  @Test
  void missingDatasetNamesImportCommand() {
    Path head = writeHead("head.safetensors", CLASSES.size(), SPEC.embeddingDim());

    CliResult result = register("--head", "letters=no-such-dataset=" + head);

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(result.err()).startsWith("Dataset 'no-such-dataset' of task 'letters' is not in the object store:"
        + " import it first with paint-cli import-dataset --name no-such-dataset");
  }

  private CliResult register(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("register-model", "--model", "letters-model", "--encoder",
        encoderFile.toString(), "--architecture", architectureFile.toString()));
    args.addAll(List.of(extraArgs));
    return runCli(environment, args.toArray(String[]::new));
  }

  private static Path writeHead(String name, int classes, int embeddingDim) {
    return writeHead(name, classes, embeddingDim, 0);
  }

  private static Path writeHead(String name, int classes, int embeddingDim, long seed) {
    Path file = files.resolve(name);
    ClassificationHead.random(classes, embeddingDim, seed).save(file, Map.of());
    return file;
  }

  /** Three classes of 8x8 grayscale images: 12 train, 3 validation and 3 test images. */
  private static Dataset letters() {
    return new Dataset("letters", CLASSES, images(12), images(3), images(3));
  }

  private static LabeledImages images(int count) {
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % CLASSES.size();
    }
    return new LabeledImages(1, 8, 8, new byte[count * 64], labels);
  }

  /**
   * Records the request; POST returns version 1, or 401 without the API token as registry-service does, and GET
   * deployed returns the posted version as deployed.
   */
  private void answerAsRegistry(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    registryRequests.add(exchange.getRequestMethod() + " " + path);
    byte[] response;
    int status;
    boolean authorized = ("Bearer " + REGISTRY_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
    if (exchange.getRequestMethod().equals("POST") && !authorized) {
      status = 401;
      response = "{\"error\":\"Missing API token\"}".getBytes(StandardCharsets.UTF_8);
    } else if (exchange.getRequestMethod().equals("POST") && path.equals("/models/letters-model/versions")) {
      postedBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      status = 201;
      response = "{\"modelName\":\"letters-model\",\"version\":1}".getBytes(StandardCharsets.UTF_8);
    } else if (path.equals("/models/letters-model/deployed") && !postedBodies.isEmpty()) {
      status = 200;
      response = deployedBody(Json.read(postedBodies.get(0), JsonNode.class));
    } else {
      status = 404;
      response = "{\"error\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, response.length);
    exchange.getResponseBody().write(response);
    exchange.close();
  }

  private static byte[] deployedBody(JsonNode posted) {
    ObjectNode deployed = Json.mapper().createObjectNode();
    deployed.put("modelName", "letters-model");
    deployed.put("version", 1);
    deployed.set("encoder", posted.get("encoder"));
    deployed.set("architecture", posted.get("architecture"));
    deployed.set("tasks", posted.get("tasks"));
    deployed.put("rootVersion", 1);
    deployed.set("rootEncoder", posted.get("encoder"));
    return Json.writeBytes(deployed);
  }
}
