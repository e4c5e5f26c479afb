package dev.paint.interpolator.messaging;

import dev.paint.shared.checkpoint.SafetensorsFile;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.storage.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One-tensor checkpoints of model "m" in the object store, small enough to check mixed values exactly. */
final class CheckpointFixtures {

  private final CheckpointStore checkpoints;
  private final Path directory;

  CheckpointFixtures(CheckpointStore checkpoints, Path directory) {
    this.checkpoints = checkpoints;
    this.directory = directory;
  }

  /** Stores a checkpoint with the tensor "proj.weight" under the task's folder of model "m". */
  CheckpointRef store(String name, float[] values, String taskId) throws IOException {
    Path file = directory.resolve(name + ".safetensors");
    SafetensorsWriter.write(file, List.of(Tensor.ofFloats("proj.weight", new long[] {4}, values)), Map.of());
    return checkpoints.upload("tasks/m/" + taskId + "/" + name + ".safetensors", file);
  }

  /** Downloads a checkpoint, verifying its SHA-256, and returns its "proj.weight" values. */
  float[] weights(CheckpointRef ref) throws IOException {
    Path file = Files.createTempFile(directory, "candidate", ".safetensors");
    checkpoints.download(ref, file);
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      return safetensors.read("proj.weight").toFloats();
    }
  }
}
