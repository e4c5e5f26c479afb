package dev.paint.registry.support;

import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.storage.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes tiny safetensors checkpoints and uploads them, with their manifests, to the object store under test. */
public final class TestCheckpoints {

  private TestCheckpoints() {}

  /**
   * Uploads a 2x3 F32 checkpoint whose values all equal {@code fill}, so that different fills give different SHA-256
   * digests.
   */
  public static CheckpointRef upload(CheckpointStore checkpoints, String key, String tensorName, float fill) {
    float[] values = new float[6];
    Arrays.fill(values, fill);
    try {
      Path file = Files.createTempFile("registry-test-", ".safetensors");
      try {
        SafetensorsWriter.write(file, List.of(Tensor.ofFloats(tensorName, new long[] {2, 3}, values)), Map.of());
        return checkpoints.upload(key, file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write test checkpoint for " + key, e);
    }
  }
}
