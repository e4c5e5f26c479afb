package dev.paint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStackRuntimeTest {

  @TempDir Path root;

  @Test
  void libNextToClassesDirectoryIsFound() throws Exception {
    Path lib = Files.createDirectories(root.resolve("paint-local/target/lib"));
    Path classes = Files.createDirectories(root.resolve("paint-local/target/classes"));

    Path resolved = LocalStackRuntime.resolveLibDirectory(null, null, classes, root.resolve("elsewhere"));

    assertThat(resolved).isEqualTo(lib);
  }

  @Test
  void libNextToModuleJarIsFound() throws Exception {
    Path lib = Files.createDirectories(root.resolve("paint-local/target/lib"));
    Path jar = Files.createFile(root.resolve("paint-local/target/paint-local-0.1.0-SNAPSHOT.jar"));

    Path resolved = LocalStackRuntime.resolveLibDirectory(null, null, jar, root.resolve("elsewhere"));

    assertThat(resolved).isEqualTo(lib);
  }

  @Test
  void repositoryJarSearchesWorkingDirectory() throws Exception {
    Path lib = Files.createDirectories(root.resolve("repo/paint-local/target/lib"));
    Path moduleDirectory = Files.createDirectories(root.resolve("repo/trainer-service"));
    Path jar = root.resolve("m2/dev/paint/paint-local/0.1.0-SNAPSHOT/paint-local-0.1.0-SNAPSHOT.jar");

    Path resolved = LocalStackRuntime.resolveLibDirectory(null, null, jar, moduleDirectory);

    assertThat(resolved).isEqualTo(lib);
  }

  @Test
  void systemPropertyOverridesEnvironmentAndCodeSource() throws Exception {
    Path fromProperty = Files.createDirectories(root.resolve("from-property"));
    Path fromEnvironment = Files.createDirectories(root.resolve("from-environment"));
    Files.createDirectories(root.resolve("paint-local/target/lib"));
    Path classes = Files.createDirectories(root.resolve("paint-local/target/classes"));

    Path resolved =
        LocalStackRuntime.resolveLibDirectory(fromProperty.toString(), fromEnvironment.toString(), classes, root);

    assertThat(resolved).isEqualTo(fromProperty);
  }

  @Test
  void environmentOverridesCodeSource() throws Exception {
    Path fromEnvironment = Files.createDirectories(root.resolve("from-environment"));
    Files.createDirectories(root.resolve("paint-local/target/lib"));
    Path classes = Files.createDirectories(root.resolve("paint-local/target/classes"));

    Path resolved = LocalStackRuntime.resolveLibDirectory(null, fromEnvironment.toString(), classes, root);

    assertThat(resolved).isEqualTo(fromEnvironment);
  }

  @Test
  void missingOverrideNamesPropertyAndBuildCommand() {
    Path missing = root.resolve("no-such-lib");

    assertThatThrownBy(() -> LocalStackRuntime.resolveLibDirectory(missing.toString(), null, root, root))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining(LocalStackRuntime.LIB_DIR_PROPERTY)
        .hasMessageContaining("mvn -q install -DskipTests");
  }

  @Test
  void missingLibDirectoryNamesBuildCommand() throws Exception {
    Path classes = Files.createDirectories(root.resolve("paint-local/target/classes"));

    assertThatThrownBy(() -> LocalStackRuntime.resolveLibDirectory(null, null, classes, root.resolve("elsewhere")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("run `mvn -q install -DskipTests` from the repository root first");
  }

  @Test
  void missingBrokerJarNamesPrefix() throws Exception {
    Path lib = Files.createDirectories(root.resolve("lib"));
    Files.createFile(lib.resolve("s3proxy-2.6.0.jar"));

    assertThatThrownBy(() -> LocalStackRuntime.requireJar(lib, "kafka_2.13-"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kafka_2.13-*.jar");
  }

  @Test
  void builtLibDirectoryHoldsBrokerAndStoreJars() {
    Path lib = LocalStackRuntime.libDirectory();

    assertThat(LocalStackRuntime.requireJar(lib, "kafka_2.13-")).exists();
    assertThat(LocalStackRuntime.requireJar(lib, "kafka-clients-")).exists();
    assertThat(LocalStackRuntime.requireJar(lib, "s3proxy-")).exists();
  }

  @Test
  void childJvmUsesCallersJava() {
    Path java = LocalStackRuntime.javaExecutable();

    assertThat(java).startsWith(Path.of(System.getProperty("java.home")));
    assertThat(Files.isExecutable(java)).isTrue();
  }
}
