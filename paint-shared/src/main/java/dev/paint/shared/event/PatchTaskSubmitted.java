package dev.paint.shared.event;

import java.time.Instant;
import java.util.List;

/**
 * A request to patch model {@code modelName} on a new task. The payload of {@link Topics#PATCH_TASK_SUBMITTED}.
 *
 * @param taskId unique id of this patch task; a resubmission with the same id is a duplicate
 * @param modelName the model to patch; its deployed version is the base
 * @param task the task's name, under which its head and accuracies are recorded
 * @param dataset name of an imported dataset in the object store
 * @param classNames class names in label order; they must equal the dataset's
 * @param head object key of a ready head, a safetensors file with one tensor "head" of shape [classes, embedding].
 *     When null, the trainer builds one from the base encoder's mean embedding per class
 * @param hyperparameters fine-tuning overrides, may be null
 * @param selection alpha search overrides, may be null
 * @param submittedAt when the task was submitted, for pipeline latency
 */
public record PatchTaskSubmitted(
    String taskId,
    String modelName,
    String task,
    String dataset,
    List<String> classNames,
    String head,
    Hyperparameters hyperparameters,
    Selection selection,
    Instant submittedAt) {

  public PatchTaskSubmitted {
    EventValidation.requireId(taskId, "taskId");
    EventValidation.requireId(modelName, "modelName");
    EventValidation.requireId(task, "task");
    EventValidation.requireText(dataset, "dataset");
    EventValidation.requireNonEmpty(classNames, "classNames");
    classNames = List.copyOf(classNames);
    hyperparameters = hyperparameters == null ? Hyperparameters.none() : hyperparameters;
    selection = selection == null ? Selection.none() : selection;
  }

  /** Returns whether {@code other} requests the same work. The submission time may differ. */
  public boolean sameContent(PatchTaskSubmitted other) {
    return taskId.equals(other.taskId) && modelName.equals(other.modelName) && task.equals(other.task)
        && dataset.equals(other.dataset) && classNames.equals(other.classNames)
        && java.util.Objects.equals(head, other.head) && hyperparameters.equals(other.hyperparameters)
        && selection.equals(other.selection);
  }
}
