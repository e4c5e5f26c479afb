package dev.paint.demo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Locations of the build outputs that the demo runs: the repository root, the services' {@code quarkus-run.jar} files and
 * the runtime jars of the local Kafka broker and object store ({@code paint-local/target/lib}).
 *
 * @param root the repository root, the directory of the parent pom
 */
public record RepositoryLayout(Path root) {

  /** System property that names the repository root; the Maven build sets it for the end-to-end test. */
  public static final String REPOSITORY_PROPERTY = "paint.demo.repo";

  static final String BUILD_ADVICE = "build them with `mvn -B -q install -DskipTests` in the repository root";

  public RepositoryLayout {
    root = root.toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("paint-demo"))) {
      throw new DemoFailedException(
          "Directory " + root + " is not the paint repository root (it needs pom.xml and paint-demo/); pass the"
              + " root with --repo DIR");
    }
  }

  /**
   * Locates the repository root: {@code explicitRoot} when given, else the system property {@value
   * #REPOSITORY_PROPERTY}, else three levels above this class's jar ({@code <root>/paint-demo/target/paint-demo.jar}).
   */
  public static RepositoryLayout locate(Path explicitRoot) {
    if (explicitRoot != null) {
      return new RepositoryLayout(explicitRoot);
    }
    String property = System.getProperty(REPOSITORY_PROPERTY);
    if (property != null && !property.isBlank()) {
      return new RepositoryLayout(Path.of(property));
    }
    return fromCodeSource(ownCodeSource());
  }

  /** Returns the root for a code source such as {@code <root>/paint-demo/target/paint-demo.jar} or its classes. */
  static RepositoryLayout fromCodeSource(Path codeSource) {
    Path target = codeSource.toAbsolutePath().getParent();
    if (target == null || target.getParent() == null || target.getParent().getParent() == null) {
      throw new DemoFailedException(
          "The repository root cannot be derived from " + codeSource + ": pass it with --repo DIR");
    }
    return new RepositoryLayout(target.getParent().getParent());
  }

  /** Returns the service's runnable jar, which may not exist yet; see {@link #requireServiceJars()}. */
  public Path serviceJar(PaintService service) {
    return root.resolve(service.module()).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
  }

  /** Returns the directory with the Kafka and S3Proxy jars that paint-local's child JVMs run on. */
  public Path localStackLibDirectory() {
    return root.resolve("paint-local").resolve("target").resolve("lib");
  }

  /** Returns the default data directory of scripts/fetch-datasets.sh. */
  public Path defaultDataDirectory() {
    return root.resolve(".paint").resolve("data");
  }

  /** Returns the default work directory of the demo, ignored by git. */
  public Path defaultWorkDirectory() {
    return root.resolve(".paint").resolve("demo");
  }

  /** Throws {@link DemoFailedException} naming every missing service jar and the local stack's jar directory. */
  public void requireBuiltArtifacts() {
    List<Path> missing = new ArrayList<>();
    for (PaintService service : PaintService.values()) {
      if (!Files.isRegularFile(serviceJar(service))) {
        missing.add(serviceJar(service));
      }
    }
    if (!Files.isDirectory(localStackLibDirectory())) {
      missing.add(localStackLibDirectory());
    }
    if (!missing.isEmpty()) {
      throw new DemoFailedException("Build outputs missing: " + missing + "; " + BUILD_ADVICE);
    }
  }

  private static Path ownCodeSource() {
    CodeSource codeSource = RepositoryLayout.class.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new DemoFailedException("The location of the paint-demo classes is unknown: pass --repo DIR");
    }
    try {
      return Path.of(codeSource.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new DemoFailedException("Invalid code source location " + codeSource.getLocation() + ": pass --repo DIR", e);
    }
  }
}
