package dev.paint.shared.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/** A scratch directory for one task's checkpoints, deleted with everything in it on close. */
public final class WorkDirectory implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(WorkDirectory.class);

  private final Path path;

  private WorkDirectory(Path path) {
    this.path = path;
  }

  /**
   * Creates a new directory under {@code parent}, or under the system temporary directory when absent.
   *
   * @param configKey the configuration key that sets {@code parent}, named in the error
   */
  public static WorkDirectory create(Optional<String> parent, String prefix, String configKey) {
    Path root = parent.map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir")));
    try {
      Files.createDirectories(root);
      return new WorkDirectory(Files.createTempDirectory(root, prefix));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a work directory under " + root + "; check " + configKey, e);
    }
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warnf("Could not delete work directory %s: %s", path, e.getMessage());
    }
  }
}
