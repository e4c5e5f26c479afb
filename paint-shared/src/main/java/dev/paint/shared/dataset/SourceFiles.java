package dev.paint.shared.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the source files of one import, records the SHA-256 of each and, for a built-in dataset, checks it against the
 * published value before anything parses the bytes.
 */
final class SourceFiles {

  private final String sourceDescription;
  private final Map<String, String> expectedSha256;
  private final Map<String, String> computedSha256 = new TreeMap<>();

  private SourceFiles(String sourceDescription, Map<String, String> expectedSha256) {
    this.sourceDescription = sourceDescription;
    this.expectedSha256 = expectedSha256;
  }

  /** Source files of a user's own dataset: checksums are recorded, not checked. */
  static SourceFiles unverified() {
    return new SourceFiles("", Map.of());
  }

  /**
   * Source files with published checksums.
   *
   * @param sourceDescription where the files come from, for example "Debian package dataset-fashion-mnist"
   * @param expectedSha256 SHA-256 in lowercase hex by file name
   */
  static SourceFiles verified(String sourceDescription, Map<String, String> expectedSha256) {
    return new SourceFiles(sourceDescription, Map.copyOf(expectedSha256));
  }

  /**
   * Returns the bytes of {@code file}, recorded under {@code name}; a file with a published checksum must match it.
   *
   * @param name file name relative to the source root, with '/' separators
   */
  byte[] read(Path file, String name) {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read source file " + file + ": " + e.getMessage(), e);
    }

    String actual = Sha256.hex(data);
    String expected = expectedSha256.get(name);
    if (expected != null && !expected.equals(actual)) {
      throw new DatasetIntegrityException(
          "Checksum mismatch for " + file + " from " + sourceDescription + ": SHA-256 is " + actual + ", expected "
              + expected + ". The download is corrupt or a different version; delete the file and run"
              + " scripts/fetch-datasets.sh again");
    }

    computedSha256.put(name, actual);
    return data;
  }

  /** Returns the SHA-256 of every file read so far, by name. */
  Map<String, String> checksums() {
    return Collections.unmodifiableMap(new TreeMap<>(computedSha256));
  }
}
