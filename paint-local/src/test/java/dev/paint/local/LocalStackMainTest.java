package dev.paint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackMainTest {

  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);
  private static final Duration ORPHAN_EXIT_LIMIT = Duration.ofSeconds(30);

  @TempDir Path root;

  @Test
  void mainRunsStackUntilKilled() throws Exception {
    Path dataDirectory = root.resolve("stack");
    Path stdout = root.resolve("stdout.txt");
    Path stderr = root.resolve("stderr.txt");
    Process main =
        new ProcessBuilder(
                LocalStackRuntime.javaExecutable().toString(),
                "-cp",
                mainClasspath(),
                LocalStackMain.class.getName(),
                "--data-dir",
                dataDirectory.toString())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      await().atMost(STARTUP_LIMIT).until(() -> printedVariables(stdout).size() == 4 || !main.isAlive());
      Map<String, String> variables = printedVariables(stdout);
      List<ProcessHandle> children = main.toHandle().children().toList();
      String secretKey = Files.readString(Path.of(variables.get("S3_SECRET_KEY_FILE")));
      String secretKeyFileMode =
          PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(variables.get("S3_SECRET_KEY_FILE"))));
      String kafkaPort = variables.get("KAFKA_BOOTSTRAP_SERVERS").substring("127.0.0.1:".length());
      String s3Port = variables.get("S3_ENDPOINT").substring("http://127.0.0.1:".length());

      main.destroyForcibly();
      await().atMost(ORPHAN_EXIT_LIMIT).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));

      assertThat(variables.get("S3_ACCESS_KEY")).isEqualTo(LocalObjectStore.DEFAULT_ACCESS_KEY);
      assertThat(variables.get("S3_SECRET_KEY_FILE")).isEqualTo(dataDirectory.resolve("s3-secret-key").toString());
      assertThat(secretKeyFileMode).isEqualTo("rw-------");
      assertThat(Files.readString(stdout)).doesNotContain(secretKey);
      assertThat(Files.readString(stderr)).doesNotContain(secretKey);
      assertThat(children).hasSize(2);
      assertThat(LoopbackPorts.isAcceptingConnections(Integer.parseInt(kafkaPort))).isFalse();
      assertThat(LoopbackPorts.isAcceptingConnections(Integer.parseInt(s3Port))).isFalse();
    } finally {
      main.destroyForcibly();
    }
  }

  @Test
  void sigtermStopsStackAndDeletesTemporaryData() throws Exception {
    Path stdout = root.resolve("stdout.txt");
    Process main =
        new ProcessBuilder(
                LocalStackRuntime.javaExecutable().toString(), "-cp", mainClasspath(), LocalStackMain.class.getName())
            .redirectOutput(stdout.toFile())
            .redirectError(root.resolve("stderr.txt").toFile())
            .start();
    try {
      await().atMost(STARTUP_LIMIT).until(() -> printedVariables(stdout).size() == 4 || !main.isAlive());
      List<ProcessHandle> children = main.toHandle().children().toList();
      Path storeDirectory = Path.of(printedVariables(stdout).get("S3_SECRET_KEY_FILE")).getParent();

      main.destroy();
      boolean exited = main.waitFor(ORPHAN_EXIT_LIMIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(exited).isTrue();
      assertThat(children).hasSize(2);
      assertThat(children).noneMatch(ProcessHandle::isAlive);
      assertThat(storeDirectory).doesNotExist();
    } finally {
      main.destroyForcibly();
    }
  }

  @Test
  void optionsRejectUnknownOption() {
    assertThatThrownBy(() -> LocalStackMain.Options.parse(new String[] {"--kafka-prt", "9092"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown option --kafka-prt");
  }

  @Test
  void optionsRejectPortOutOfRange() {
    assertThatThrownBy(() -> LocalStackMain.Options.parse(new String[] {"--s3-port", "70000"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }

  @Test
  void optionsParseDataDirectoryAndPorts() {
    LocalStackMain.Options options =
        LocalStackMain.Options.parse(new String[] {"--data-dir", "stack", "--kafka-port", "19092", "--s3-port", "19000"});

    assertThat(options.dataDirectory()).isEqualTo(Path.of("stack").toAbsolutePath());
    assertThat(options.kafkaPort()).isEqualTo(19092);
    assertThat(options.s3Port()).isEqualTo(19000);
  }

  /** The main class needs only this module's classes and jboss-logging, as a developer's command line has. */
  private static String mainClasspath() throws Exception {
    Path jbossLogging = Path.of(Logger.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return LocalStackRuntime.ownCodeSource() + File.pathSeparator + jbossLogging;
  }

  private static Map<String, String> printedVariables(Path stdout) throws Exception {
    Properties properties = new Properties();
    if (Files.exists(stdout)) {
      try (var reader = Files.newBufferedReader(stdout)) {
        properties.load(reader);
      }
    }
    Map<String, String> variables = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> variables.put(name, properties.getProperty(name)));
    return variables;
  }
}
