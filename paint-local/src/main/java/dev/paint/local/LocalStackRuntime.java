package dev.paint.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates what the child JVMs of the local stack run on: the runtime jar directory ({@code paint-local/target/lib},
 * filled by the dependency plugin at process-classes), the java executable and this module's own classes.
 */
final class LocalStackRuntime {

  /** System property that overrides the runtime jar directory. */
  static final String LIB_DIR_PROPERTY = "paint.local.lib-dir";

  /** Environment variable that overrides the runtime jar directory when the system property is not set. */
  static final String LIB_DIR_ENV = "PAINT_LOCAL_LIB_DIR";

  static final String BUILD_ADVICE = "run `mvn -q install -DskipTests` from the repository root first";

  private LocalStackRuntime() {}

  /** Returns the runtime jar directory, checked in the order described at {@link #resolveLibDirectory}. */
  static Path libDirectory() {
    return resolveLibDirectory(
        System.getProperty(LIB_DIR_PROPERTY),
        System.getenv(LIB_DIR_ENV),
        ownCodeSource(),
        Path.of("").toAbsolutePath());
  }

  /**
   * Resolves the runtime jar directory: the system property, then the environment variable, then {@code lib} next to
   * this module's classes or jar under {@code target/}, then {@code paint-local/target/lib} in the working directory or
   * one of its parents. The last case covers a module whose build took paint-local from the local Maven repository,
   * where no {@code lib} directory sits next to the jar.
   */
  static Path resolveLibDirectory(String propertyValue, String envValue, Path codeSource, Path workingDirectory) {
    if (propertyValue != null && !propertyValue.isBlank()) {
      return requireDirectory(Path.of(propertyValue), "system property " + LIB_DIR_PROPERTY);
    }
    if (envValue != null && !envValue.isBlank()) {
      return requireDirectory(Path.of(envValue), "environment variable " + LIB_DIR_ENV);
    }

    List<Path> candidates = new ArrayList<>();
    if (codeSource.getParent() != null) {
      candidates.add(codeSource.getParent().resolve("lib"));
    }
    for (Path directory = workingDirectory; directory != null; directory = directory.getParent()) {
      candidates.add(directory.resolve("paint-local").resolve("target").resolve("lib"));
    }

    return candidates.stream()
        .filter(Files::isDirectory)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "Runtime jar directory of paint-local not found (checked "
                        + candidates
                        + "): "
                        + BUILD_ADVICE
                        + ", or set "
                        + LIB_DIR_PROPERTY
                        + " or "
                        + LIB_DIR_ENV
                        + " to a directory with the Kafka and S3Proxy jars"));
  }

  /** Returns the jar in {@code libDirectory} whose file name starts with {@code prefix}, such as "s3proxy-". */
  static Path requireJar(Path libDirectory, String prefix) {
    try (Stream<Path> files = Files.list(libDirectory)) {
      return files
          .filter(file -> file.getFileName().toString().startsWith(prefix))
          .filter(file -> file.getFileName().toString().endsWith(".jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "Runtime jar directory " + libDirectory + " has no " + prefix + "*.jar: " + BUILD_ADVICE));
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to list runtime jar directory " + libDirectory, e);
    }
  }

  /**
   * Returns the classpath of a child JVM: every jar in the runtime directory plus this module's classes, which
   * contain {@link ParentWatchingLauncher}.
   */
  static String childClasspath(Path libDirectory) {
    return libDirectory.resolve("*") + File.pathSeparator + ownCodeSource();
  }

  /** Returns the java executable of the running JVM, so the children run on the same Java version as the caller. */
  static Path javaExecutable() {
    String executableName = isWindows() ? "java.exe" : "java";
    Path fromJavaHome = Path.of(System.getProperty("java.home"), "bin", executableName);
    if (Files.isExecutable(fromJavaHome)) {
      return fromJavaHome;
    }

    Optional<String> fromProcess = ProcessHandle.current().info().command();
    return fromProcess
        .map(Path::of)
        .filter(Files::isExecutable)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No java executable found at " + fromJavaHome + " or in the command line of this process"));
  }

  /** Returns the directory or jar this class was loaded from. */
  static Path ownCodeSource() {
    CodeSource codeSource = LocalStackRuntime.class.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new IllegalStateException(
          "The code source of " + LocalStackRuntime.class.getName()
              + " is unknown, so the classpath of the child JVMs cannot be built. Load paint-local from a directory"
              + " or a jar.");
    }

    try {
      return Path.of(codeSource.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Invalid code source location " + codeSource.getLocation(), e);
    }
  }

  private static Path requireDirectory(Path directory, String source) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalStateException(
          "Runtime jar directory " + directory + " from " + source + " does not exist: " + BUILD_ADVICE
              + ", or correct the " + source);
    }
    return directory;
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").toLowerCase().startsWith("windows");
  }
}
