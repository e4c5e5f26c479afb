package dev.paint.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Writes the configuration files of the child JVMs and removes the directories the local stack created. */
final class ConfigFiles {

  private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

  private ConfigFiles() {}

  /**
   * Writes a Java properties file in the given key order. With {@code ownerOnly} the file gets mode 0600 before any
   * byte is written, because it may contain a secret.
   */
  static void writeProperties(Path file, Map<String, String> properties, boolean ownerOnly) {
    StringBuilder text = new StringBuilder();
    properties.forEach(
        (key, value) -> text.append(escape(key, true)).append('=').append(escape(value, false)).append('\n'));
    write(file, text.toString(), ownerOnly);
  }

  /**
   * Writes a logback configuration that sends everything at INFO and above, with the given per-logger levels, to
   * stdout, which {@link ChildJvm} appends to the child's log file. Without it logback would log at DEBUG.
   */
  static void writeLogbackConfig(Path file, Map<String, String> loggerLevels) {
    StringBuilder text = new StringBuilder();
    text.append("<configuration>\n");
    text.append("  <appender name=\"STDOUT\" class=\"ch.qos.logback.core.ConsoleAppender\">\n");
    text.append("    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern>")
        .append("</encoder>\n");
    text.append("  </appender>\n");
    loggerLevels.forEach(
        (logger, level) ->
            text.append("  <logger name=\"").append(logger).append("\" level=\"").append(level).append("\"/>\n"));
    text.append("  <root level=\"INFO\"><appender-ref ref=\"STDOUT\"/></root>\n");
    text.append("</configuration>\n");
    write(file, text.toString(), false);
  }

  /** Writes {@code text} to {@code file}, readable and writable by the owner only when {@code ownerOnly} is set. */
  static void write(Path file, String text, boolean ownerOnly) {
    try {
      if (ownerOnly) {
        restrictToOwner(file);
      }
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write " + file, e);
    }
  }

  /** Deletes a directory tree and returns whether all of it is gone. It keeps going past files it fails to delete. */
  static boolean deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return true;
    }

    try (Stream<Path> paths = Files.walk(directory)) {
      return paths
          .sorted(Comparator.reverseOrder())
          .map(path -> path.toFile().delete())
          .reduce(true, Boolean::logicalAnd);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static void restrictToOwner(Path file) throws IOException {
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (posix && Files.exists(file)) {
      Files.setPosixFilePermissions(file, OWNER_READ_WRITE);
      return;
    }
    if (posix) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE));
      return;
    }

    // NOTE: without POSIX permissions (Windows) this only clears the read and write bits for other users.
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    File asFile = file.toFile();
    asFile.setReadable(false, false);
    asFile.setWritable(false, false);
    asFile.setReadable(true, true);
    asFile.setWritable(true, true);
  }

  private static String escape(String text, boolean isKey) {
    StringBuilder escaped = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ' ' && i == 0) {
        // Properties.load drops leading blanks of a value.
        escaped.append("\\ ");
        continue;
      }
      switch (c) {
        case '\\' -> escaped.append("\\\\");
        case '\n' -> escaped.append("\\n");
        case '\r' -> escaped.append("\\r");
        case '\t' -> escaped.append("\\t");
        case '=', ':', ' ', '#', '!' -> escaped.append(isKey ? "\\" + c : String.valueOf(c));
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
