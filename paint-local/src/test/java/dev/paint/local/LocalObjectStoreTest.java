package dev.paint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest {

  /** Larger than MinIO's 5 MiB minimum part size, so the client uploads it in several parts. */
  private static final int LARGE_OBJECT_BYTES = 12 * 1024 * 1024;

  private static LocalObjectStore store;
  private static MinioClient client;

  @BeforeAll
  static void startStore() {
    store = LocalObjectStore.start();
    client = MinioClient.builder().endpoint(store.endpoint()).credentials(store.accessKey(), store.secretKey()).build();
  }

  @AfterAll
  static void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void restartStoreIfStopped() {
    if (!store.isRunning()) {
      store.restart();
    }
  }

  @Test
  void largeObjectUnderNestedKeyRoundTrips() throws Exception {
    String bucket = newBucket();
    String key = "checkpoints/task-1/finetuned/model.bin";
    byte[] content = randomBytes(LARGE_OBJECT_BYTES, 1);

    put(bucket, key, content);
    StatObjectResponse stat = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
    byte[] read = get(bucket, key);

    assertThat(stat.size()).isEqualTo(LARGE_OBJECT_BYTES);
    assertThat(read).isEqualTo(content);
  }

  @Test
  void makeBucketCreatesExistingBucket() throws Exception {
    String bucket = uniqueBucketName();

    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());

    assertThat(client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())).isTrue();
    assertThat(client.bucketExists(BucketExistsArgs.builder().bucket(uniqueBucketName()).build())).isFalse();
  }

  @Test
  void listObjectsFiltersByPrefix() throws Exception {
    String bucket = newBucket();
    put(bucket, "runs/a/alpha-0.5.bin", "a5".getBytes(StandardCharsets.UTF_8));
    put(bucket, "runs/a/alpha-1.0.bin", "a1".getBytes(StandardCharsets.UTF_8));
    put(bucket, "runs/b/alpha-0.5.bin", "b5".getBytes(StandardCharsets.UTF_8));
    put(bucket, "manifest.json", "{}".getBytes(StandardCharsets.UTF_8));

    List<String> recursive = list(ListObjectsArgs.builder().bucket(bucket).prefix("runs/").recursive(true).build());
    List<String> underA = list(ListObjectsArgs.builder().bucket(bucket).prefix("runs/a/").recursive(true).build());
    List<String> topLevel = list(ListObjectsArgs.builder().bucket(bucket).build());

    assertThat(recursive).containsExactly("runs/a/alpha-0.5.bin", "runs/a/alpha-1.0.bin", "runs/b/alpha-0.5.bin");
    assertThat(underA).containsExactly("runs/a/alpha-0.5.bin", "runs/a/alpha-1.0.bin");
    assertThat(topLevel).containsExactlyInAnyOrder("manifest.json", "runs/");
  }

  @Test
  void removedObjectIsNoSuchKey() throws Exception {
    String bucket = newBucket();
    put(bucket, "tmp/candidate.bin", randomBytes(1024, 2));

    client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object("tmp/candidate.bin").build());

    assertThatThrownBy(() -> client.statObject(StatObjectArgs.builder().bucket(bucket).object("tmp/candidate.bin").build()))
        .isInstanceOfSatisfying(
            ErrorResponseException.class, e -> assertThat(e.errorResponse().code()).isEqualTo("NoSuchKey"));
  }

  @Test
  void restartKeepsObjectsAndCredentials() throws Exception {
    String bucket = newBucket();
    byte[] content = randomBytes(64 * 1024, 3);
    put(bucket, "kept/after/restart.bin", content);
    String endpointBefore = store.endpoint();

    store.restart();
    byte[] read = get(bucket, "kept/after/restart.bin");

    assertThat(store.endpoint()).isEqualTo(endpointBefore);
    assertThat(read).isEqualTo(content);
  }

  @Test
  void killedStoreServesObjectsAfterRestart() throws Exception {
    String bucket = newBucket();
    byte[] content = randomBytes(64 * 1024, 4);
    put(bucket, "survives/kill.bin", content);

    store.kill();
    boolean acceptingAfterKill = LoopbackPorts.isAcceptingConnections(store.port());
    store.restart();
    byte[] read = get(bucket, "survives/kill.bin");

    assertThat(acceptingAfterKill).isFalse();
    assertThat(read).isEqualTo(content);
  }

  @Test
  void wrongSecretKeyIsRejected() {
    MinioClient intruder =
        MinioClient.builder().endpoint(store.endpoint()).credentials(store.accessKey(), "not-the-secret").build();

    assertThatThrownBy(() -> intruder.makeBucket(MakeBucketArgs.builder().bucket(uniqueBucketName()).build()))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.errorResponse().code()).isEqualTo("SignatureDoesNotMatch"));
  }

  @Test
  void secretKeyStaysPrivate() throws Exception {
    String log = Files.readString(store.logFile());
    String permissions =
        PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dataDirectory().resolve("s3proxy.properties")));

    assertThat(store.secretKey()).hasSize(40);
    assertThat(log).doesNotContain(store.secretKey());
    assertThat(permissions).isEqualTo("rw-------");
  }

  @Test
  void storeJvmHasModestHeap() {
    List<String> arguments = List.of(ProcessHandle.of(store.pid()).orElseThrow().info().arguments().orElseThrow());

    assertThat(arguments).contains("-Xmx" + LocalObjectStore.DEFAULT_HEAP);
    assertThat(arguments).contains("org.gaul.s3proxy.Main");
  }

  @Test
  void startupTimeoutKillsStore(@TempDir Path dataDirectory) {
    LocalObjectStore.Builder builder =
        LocalObjectStore.builder().dataDirectory(dataDirectory).startupTimeout(Duration.ofMillis(1));

    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("timed out after 1 ms during startup, so it was killed")
        .hasMessageContaining(dataDirectory.resolve("s3proxy.log").toString());
  }

  @Test
  void occupiedPortFailsWithLogTail(@TempDir Path dataDirectory) throws Exception {
    try (ServerSocket occupant = new ServerSocket(0, 1, InetAddress.getByName(LoopbackPorts.HOST))) {
      LocalObjectStore.Builder builder =
          LocalObjectStore.builder().dataDirectory(dataDirectory).port(occupant.getLocalPort());

      assertThatThrownBy(builder::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("exited with status")
          .hasMessageContaining("Failed to bind to /127.0.0.1:" + occupant.getLocalPort());
    }
  }

  private static String newBucket() throws Exception {
    String bucket = uniqueBucketName();
    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
    return bucket;
  }

  private static String uniqueBucketName() {
    return "paint-test-" + UUID.randomUUID();
  }

  private static void put(String bucket, String key, byte[] content) throws Exception {
    client.putObject(
        PutObjectArgs.builder()
            .bucket(bucket)
            .object(key)
            .stream(new ByteArrayInputStream(content), content.length, -1)
            .contentType("application/octet-stream")
            .build());
  }

  private static byte[] get(String bucket, String key) throws Exception {
    try (GetObjectResponse response = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      return response.readAllBytes();
    }
  }

  private static List<String> list(ListObjectsArgs args) throws Exception {
    List<String> names = new ArrayList<>();
    for (Result<Item> result : client.listObjects(args)) {
      names.add(result.get().objectName());
    }
    return names;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
