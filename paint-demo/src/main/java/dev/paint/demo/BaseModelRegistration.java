package dev.paint.demo;

import dev.paint.demo.BaseModelBuilder.PretrainedBase;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import java.util.List;
import java.util.Map;

/** Uploads a pretrained base encoder and its head, and registers them as the first, deployed version of a model. */
public final class BaseModelRegistration {

  private BaseModelRegistration() {}

  /**
   * Registers {@code base} as a new version of {@code modelName} with one supported task, {@link BaseModelBuilder#TASK}.
   *
   * @param classNames the task's class names in label order
   * @return the registered version number, 1 for a new model
   */
  public static int register(
      String modelName, PretrainedBase base, List<String> classNames, CheckpointStore checkpoints,
      RegistryClient registry) {
    CheckpointRef encoder =
        checkpoints.upload(ObjectKeys.importedEncoder(modelName, "pretrained-" + base.cacheKey()), base.encoderFile());
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
}
