package dev.paint.demo;

import dev.paint.demo.BaseModelBuilder.PretrainedBase;
import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Uploads a pretrained base encoder and its head, and registers them as the first, deployed version of a model. */
public final class BaseModelRegistration {

  private BaseModelRegistration() {}

  /**
   * Registers {@code base} as a new version of {@code modelName} with one supported task, {@link BaseModelBuilder#TASK}.
   *
   * @param sharded whether to register the encoder as a sharded checkpoint, one shard per layer
   * @param classNames the task's class names in label order
   * @return the registered version number, 1 for a new model
   */
  public static int register(
      String modelName, PretrainedBase base, boolean sharded, List<String> classNames, CheckpointStore checkpoints,
      RegistryClient registry) {
    CheckpointRef encoder = sharded
        ? checkpoints.upload(ObjectKeys.importedShardedEncoder(modelName, "pretrained-" + base.cacheKey()),
            shardedCopy(base.encoderFile()))
        : checkpoints.upload(ObjectKeys.importedEncoder(modelName, "pretrained-" + base.cacheKey()), base.encoderFile());
    CheckpointRef head = checkpoints.upload(ObjectKeys.head(modelName, BaseModelBuilder.TASK), base.headFile());
    TaskHead task =
        new TaskHead(BaseModelBuilder.TASK, BaseModelBuilder.TASK, classNames, head, TaskRole.SUPPORTED);

    // An imported version was never patched, so its base, fine-tuned and patched accuracies are the same numbers.
    double validation = base.validationAccuracy();
    double test = base.testAccuracy();
    TaskAccuracy accuracy = new TaskAccuracy(validation, validation, validation, test, test, test);

    RegistryClient.RegisterModelVersion request = new RegistryClient.RegisterModelVersion(
        encoder, base.spec(), List.of(task), Map.of(BaseModelBuilder.TASK, accuracy), true);
    return registry.register(modelName, request);
  }

  /** Writes the encoder again as a sharded checkpoint in a folder beside it, once, and returns the index file. */
  private static Path shardedCopy(Path encoderFile) {
    Path index = encoderFile.resolveSibling("sharded").resolve("encoder" + Checkpoints.INDEX_SUFFIX);
    if (Files.exists(index)) {
      return index;
    }
    try (Checkpoint encoder = Checkpoints.open(encoderFile)) {
      List<CheckpointShard> layout = CheckpointShard.byLayer(index.getFileName().toString(), encoder.tensors());
      return Checkpoints.rewrite(encoderFile, index, layout);
    }
  }
}
