package dev.paint.registry.service;

import dev.paint.registry.domain.RegisterModelVersion;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks a {@link RegisterModelVersion} request before anything is stored. */
final class ImportRequestCheck {

  /**
   * The request's checkpoints as the object store describes them, with the size from each manifest.
   *
   * @param tasks the request's tasks in request order, each head replaced by its stored reference
   */
  record CheckedImport(CheckpointRef encoder, List<TaskHead> tasks) {}

  private ImportRequestCheck() {}

  /**
   * Checks the request and returns its encoder and heads as stored.
   *
   * @throws InvalidRegistrationException when a field is missing or a checkpoint is not stored as referenced
   */
  static CheckedImport check(String modelName, RegisterModelVersion request, CheckpointVerifier checkpoints) {
    if (request == null) {
      throw new InvalidRegistrationException(
          "Missing request body for model '" + modelName + "': send the encoder, architecture and tasks as JSON");
    }
    if (request.architecture() == null) {
      throw new InvalidRegistrationException(
          "Missing architecture for model '" + modelName + "': give the encoder's EncoderSpec");
    }

    List<TaskHead> tasks = checkTasks(modelName, request.tasks(), checkpoints);
    Set<String> taskNames = tasks.stream().map(TaskHead::task).collect(Collectors.toSet());
    checkAccuracy(modelName, request, taskNames);

    return new CheckedImport(encoder(modelName, request, checkpoints), tasks);
  }

  private static List<TaskHead> checkTasks(String modelName, List<TaskHead> tasks, CheckpointVerifier checkpoints) {
    if (tasks == null || tasks.isEmpty()) {
      throw new InvalidRegistrationException(
          "Missing tasks for model '" + modelName + "': list every supported task with its dataset, class names and"
              + " head");
    }

    Set<String> names = new HashSet<>();
    List<TaskHead> stored = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      TaskHead task = tasks.get(i);
      if (task == null) {
        throw new InvalidRegistrationException("Missing tasks[" + i + "] for model '" + modelName + "'");
      }
      // Task names become metric tags, so they follow the id rules.
      EventValidation.requireId(task.task(), "tasks[" + i + "].task");
      if (task.role() != TaskRole.SUPPORTED) {
        throw new InvalidRegistrationException(
            "Task '" + task.task() + "' has role " + task.role() + ": tasks of an imported version must have role "
                + TaskRole.SUPPORTED + ", because patch tasks are added by promotion");
      }
      if (!names.add(task.task())) {
        throw new InvalidRegistrationException(
            "Task '" + task.task() + "' is listed twice for model '" + modelName + "': give each task once");
      }
      CheckpointRef head = checkpoints.requireMatching(task.head(), "Head of task '" + task.task() + "'");
      stored.add(new TaskHead(task.task(), task.dataset(), task.classNames(), head, task.role()));
    }
    return stored;
  }

  private static void checkAccuracy(String modelName, RegisterModelVersion request, Set<String> taskNames) {
    if (request.accuracy() == null) {
      return;
    }
    for (String task : request.accuracy().keySet()) {
      if (!taskNames.contains(task)) {
        throw new InvalidRegistrationException(
            "Accuracy given for task '" + task + "', which is not among the tasks " + taskNames + " of model '"
                + modelName + "': remove it or add the task");
      }
    }
  }

  private static CheckpointRef encoder(String modelName, RegisterModelVersion request, CheckpointVerifier checkpoints) {
    CheckpointRef encoder = request.encoder();
    String encoderKey = request.encoderKey();
    if (encoder != null && encoderKey != null && !encoderKey.equals(encoder.key())) {
      throw new InvalidRegistrationException(
          "encoderKey '" + encoderKey + "' differs from encoder.key '" + encoder.key() + "' for model '" + modelName
              + "': give only one of them");
    }

    if (encoder != null) {
      return checkpoints.requireMatching(encoder, "Encoder");
    }
    if (encoderKey == null || encoderKey.isBlank()) {
      throw new InvalidRegistrationException(
          "Missing encoder for model '" + modelName + "': give encoder {key, sha256, sizeBytes} or encoderKey");
    }
    return checkpoints.requireStored(encoderKey, "Encoder");
  }
}
