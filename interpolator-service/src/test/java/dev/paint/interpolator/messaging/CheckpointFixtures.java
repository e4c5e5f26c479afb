package dev.paint.interpolator.messaging;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
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

/** Small checkpoints of model "m" in the object store, small enough to check mixed values exactly. */
final class CheckpointFixtures {

  static final String WEIGHT_SHARD = "encoder-00001-of-00002.safetensors";
  static final String BIAS_SHARD = "encoder-00002-of-00002.safetensors";

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

  /** Stores one file with "proj.weight" (4 values) and "proj.bias" (2 values) under the task's folder. */
  CheckpointRef storeWithBias(String name, float[] weight, float[] bias, String taskId) throws IOException {
    Path file = directory.resolve(name + ".safetensors");
    SafetensorsWriter.write(file, List.of(weight(weight), bias(bias)), Map.of());
    return checkpoints.upload("tasks/m/" + taskId + "/" + name + ".safetensors", file);
  }

  /**
   * Stores a sharded checkpoint, "proj.weight" in shard {@value #WEIGHT_SHARD} and "proj.bias" in
   * {@value #BIAS_SHARD}, in a folder of its own under the task's folder.
   */
  CheckpointRef storeSharded(String name, float[] weight, float[] bias, String taskId) throws IOException {
    Path index = Files.createDirectories(directory.resolve(name)).resolve("encoder" + Checkpoints.INDEX_SUFFIX);
    List<CheckpointShard> layout = List.of(new CheckpointShard(WEIGHT_SHARD, List.of(weight(weight).spec())),
        new CheckpointShard(BIAS_SHARD, List.of(bias(bias).spec())));
    try (CheckpointWriter writer = Checkpoints.createWriter(index, layout, Map.of())) {
      writer.write("proj.weight", weight(weight).data());
      writer.write("proj.bias", bias(bias).data());
    }
    return checkpoints.upload("tasks/m/" + taskId + "/" + name + "/encoder" + Checkpoints.INDEX_SUFFIX, index);
  }

  /** Downloads a checkpoint, verifying its SHA-256, and returns its "proj.weight" values. */
  float[] weights(CheckpointRef ref) throws IOException {
    Path file = Files.createTempFile(directory, "candidate", ".safetensors");
    checkpoints.download(ref, file);
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      return safetensors.read("proj.weight").toFloats();
    }
  }

  /** Downloads a checkpoint in either form, verifying every file, and returns the values of one tensor. */
  float[] tensor(CheckpointRef ref, String tensorName) throws IOException {
    Path file = CheckpointStore.localPath(ref, Files.createTempDirectory(directory, "download"), "checkpoint");
    checkpoints.download(ref, file);
    try (Checkpoint checkpoint = Checkpoints.open(file)) {
      return checkpoint.read(tensorName).toFloats();
    }
  }

  private static Tensor weight(float[] values) {
    return Tensor.ofFloats("proj.weight", new long[] {4}, values);
  }

  private static Tensor bias(float[] values) {
    return Tensor.ofFloats("proj.bias", new long[] {2}, values);
  }
}
