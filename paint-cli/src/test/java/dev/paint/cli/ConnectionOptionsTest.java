package dev.paint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.storage.ObjectStoreSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionOptionsTest {

  private static final Map<String, String> ENVIRONMENT = Map.of(
      ConnectionOptions.BOOTSTRAP_SERVERS_ENV, "127.0.0.1:9092",
      ConnectionOptions.ENDPOINT_ENV, "http://127.0.0.1:9000",
      ConnectionOptions.ACCESS_KEY_ENV, "env-access",
      ConnectionOptions.SECRET_KEY_ENV, "env-secret",
      ConnectionOptions.BUCKET_ENV, "env-bucket",
      ConnectionOptions.REGISTRY_URL_ENV, "http://127.0.0.1:18084");

  @TempDir
  Path directory;

  @Test
  void environmentFillsMissingOptions() {
    ConnectionOptions connections = connections(List.of(), ENVIRONMENT);

    ObjectStoreSettings store = connections.objectStore();

    assertThat(connections.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(store.endpoint()).isEqualTo("http://127.0.0.1:9000");
    assertThat(store.accessKey()).isEqualTo("env-access");
    assertThat(store.secretKey()).isEqualTo("env-secret");
    assertThat(store.bucket()).isEqualTo("env-bucket");
    assertThat(connections.registryUrl()).isEqualTo(URI.create("http://127.0.0.1:18084"));
  }

  @Test
  void optionsOverrideEnvironment() throws Exception {
    Path secretFile = directory.resolve("secret");
    Files.writeString(secretFile, "file-secret\n");
    ConnectionOptions connections = connections(List.of(
        "--bootstrap-servers", "127.0.0.1:19092", "--object-store-endpoint", "http://127.0.0.1:19000",
        "--access-key", "option-access", "--secret-key-file", secretFile.toString(), "--bucket", "option-bucket",
        "--registry-url", "http://127.0.0.1:28084"), ENVIRONMENT);

    ObjectStoreSettings store = connections.objectStore();

    assertThat(connections.bootstrapServers()).isEqualTo("127.0.0.1:19092");
    assertThat(store.endpoint()).isEqualTo("http://127.0.0.1:19000");
    assertThat(store.accessKey()).isEqualTo("option-access");
    assertThat(store.secretKey()).isEqualTo("file-secret");
    assertThat(store.bucket()).isEqualTo("option-bucket");
    assertThat(connections.registryUrl()).isEqualTo(URI.create("http://127.0.0.1:28084"));
  }

  @Test
  void defaultsApplyWithoutEnvironment() {
    ConnectionOptions connections = connections(List.of(
        "--object-store-endpoint", "http://127.0.0.1:9000", "--access-key", "a"),
        Map.of(ConnectionOptions.SECRET_KEY_ENV, "s"));

    assertThat(connections.objectStore().bucket()).isEqualTo("paint");
    assertThat(connections.registryUrl()).isEqualTo(URI.create("http://localhost:8084"));
  }

  @Test
  void missingBootstrapServersNamesOptionAndVariable() {
    ConnectionOptions connections = connections(List.of(), Map.of());

    assertThatThrownBy(connections::bootstrapServers)
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--bootstrap-servers")
        .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void missingSecretKeyNamesFileOptionAndVariable() {
    ConnectionOptions connections = connections(List.of(
        "--object-store-endpoint", "http://127.0.0.1:9000", "--access-key", "a"), Map.of());

    assertThatThrownBy(connections::objectStore)
        .isInstanceOf(UsageException.class)
        .hasMessage("Missing object store secret key: give --secret-key-file FILE or set"
            + " PAINT_OBJECT_STORE_SECRET_KEY");
  }

  @Test
  void unreadableSecretKeyFileIsUsageError() {
    Path missing = directory.resolve("no-such-secret");
    ConnectionOptions connections = connections(List.of("--secret-key-file", missing.toString()), ENVIRONMENT);

    assertThatThrownBy(connections::objectStore)
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("NoSuchFileException");
  }

  @Test
  void invalidEndpointNamesValue() {
    ConnectionOptions connections = connections(List.of("--object-store-endpoint", "127.0.0.1:9000"), ENVIRONMENT);

    assertThatThrownBy(connections::objectStore)
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("Invalid URL '127.0.0.1:9000' in --object-store-endpoint");
  }

  @Test
  void settingsTextLeavesOutSecretKey() {
    ConnectionOptions connections = connections(List.of(), ENVIRONMENT);

    assertThat(connections.objectStore().toString()).doesNotContain("env-secret");
  }

  private static ConnectionOptions connections(List<String> args, Map<String, String> environment) {
    return new ConnectionOptions(ParsedOptions.parse("test", args, ConnectionOptions.SPECS), environment);
  }
}
