package dev.paint.shared.checkpoint;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Description of a safetensors checkpoint file that travels with it: its SHA-256 digest, size, tensors and
 * metadata. A service that downloads a checkpoint calls {@link #verify(Path)} before trusting its contents.
 *
 * @param formatVersion version of this manifest format, {@value #FORMAT_VERSION}
 * @param sha256 lowercase hexadecimal SHA-256 digest of the whole file
 * @param sizeBytes file size in bytes
 * @param tensors dtype and shape per tensor name, in the order of the tensor data in the file
 * @param metadata the {@code __metadata__} map of the file's header
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointManifest(
    int formatVersion,
    String sha256,
    long sizeBytes,
    Map<String, TensorEntry> tensors,
    Map<String, String> metadata) implements Manifest {

  /** The manifest format that this class writes and reads. */
  public static final int FORMAT_VERSION = 1;

  static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int HASH_BUFFER_BYTES = 1 << 20;

  /**
   * Dtype and shape of one tensor in a manifest.
   *
   * @param dtype the safetensors dtype name, such as {@code "F32"}
   * @param shape the dimensions, empty for a scalar
   */
  public record TensorEntry(String dtype, long[] shape) {

    public TensorEntry {
      Objects.requireNonNull(dtype, "dtype");
      Objects.requireNonNull(shape, "shape");
      shape = shape.clone();
    }

    static TensorEntry of(TensorSpec spec) {
      return new TensorEntry(spec.dtype().safetensorsName(), spec.shape());
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof TensorEntry entry && dtype.equals(entry.dtype) && Arrays.equals(shape, entry.shape);
    }

    @Override
    public int hashCode() {
      return 31 * dtype.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
      return dtype + " " + Arrays.toString(shape);
    }
  }

  public CheckpointManifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("Checkpoint manifest format version " + formatVersion
          + " is not supported; this build reads version " + FORMAT_VERSION + ".");
    }
    if (sha256 == null || !SHA256_HEX.matcher(sha256).matches()) {
      throw new IllegalArgumentException("Checkpoint manifest sha256 '" + sha256
          + "' is not 64 lowercase hexadecimal digits.");
    }
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("Checkpoint manifest sizeBytes " + sizeBytes + " is negative.");
    }
    Objects.requireNonNull(tensors, "tensors");
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /**
   * Describes a checkpoint file: validates it, hashes it and lists its tensors in file order.
   *
   * @throws CheckpointFormatException when the file is not a valid safetensors file
   */
  public static CheckpointManifest describe(Path safetensorsFile) {
    Map<String, TensorEntry> tensors;
    Map<String, String> metadata;
    try (SafetensorsFile checkpoint = SafetensorsFile.open(safetensorsFile)) {
      tensors = tensorEntries(checkpoint.tensors());
      metadata = checkpoint.metadata();
    }

    return new CheckpointManifest(FORMAT_VERSION, sha256Of(safetensorsFile), sizeOf(safetensorsFile), tensors,
        metadata);
  }

  /**
   * Checks that {@code file} is the checkpoint this manifest describes: same size, same SHA-256 digest and the
   * same tensors with the same dtypes and shapes.
   *
   * @throws CheckpointIntegrityException naming the first difference, with the expected and actual values
   */
  @Override
  public void verify(Path file) {
    long actualSize = sizeOf(file);
    if (actualSize != sizeBytes) {
      throw mismatch(file, "it has " + actualSize + " bytes but the manifest expects " + sizeBytes + " bytes");
    }

    String actualSha256 = sha256Of(file);
    if (!actualSha256.equals(sha256)) {
      throw mismatch(file, "its SHA-256 is " + actualSha256 + " but the manifest expects " + sha256);
    }

    Map<String, TensorEntry> actualTensors;
    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      actualTensors = tensorEntries(checkpoint.tensors());
    }
    requireSameTensors(file, tensors, actualTensors);
  }

  /**
   * Parses a manifest written by {@link #toJson()}.
   *
   * @throws CheckpointFormatException when the JSON is malformed, misses a field or has another format version
   */
  public static CheckpointManifest fromJson(String json) {
    return Manifest.parse(json, CheckpointManifest.class, "checkpoint");
  }

  /** Checks that {@code file} has exactly the tensors the manifest lists, with the same dtypes and shapes. */
  static void requireSameTensors(
      Path file, Map<String, TensorEntry> manifestTensors, Map<String, TensorEntry> actualTensors) {
    TreeSet<String> names = new TreeSet<>(manifestTensors.keySet());
    names.addAll(actualTensors.keySet());
    for (String name : names) {
      TensorEntry expected = manifestTensors.get(name);
      TensorEntry actual = actualTensors.get(name);
      if (expected == null) {
        throw mismatch(file, "it has tensor '" + name + "' (" + actual + ") that the manifest does not list");
      }
      if (actual == null) {
        throw mismatch(file, "it lacks tensor '" + name + "' (" + expected + ") that the manifest lists");
      }
      if (!expected.equals(actual)) {
        throw mismatch(file, "tensor '" + name + "' is " + actual + " but the manifest expects " + expected);
      }
    }
  }

  static Map<String, TensorEntry> tensorEntries(List<TensorSpec> specs) {
    Map<String, TensorEntry> entries = new LinkedHashMap<>();
    specs.forEach(spec -> entries.put(spec.name(), TensorEntry.of(spec)));
    return entries;
  }

  static CheckpointIntegrityException mismatch(Path file, String difference) {
    return new CheckpointIntegrityException("Checkpoint " + file + " does not match its manifest: " + difference
        + ". The file is corrupted, truncated or replaced; fetch the checkpoint again.");
  }

  static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the size of checkpoint " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Returns the lowercase hexadecimal SHA-256 of the file, read in 1 MiB blocks. */
  static String sha256Of(Path file) {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[HASH_BUFFER_BYTES];
    try (InputStream input = Files.newInputStream(file)) {
      int read;
      while ((read = input.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Hashing checkpoint " + file + " failed: " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime must provide SHA-256", e);
    }
  }
}
