package dev.paint.shared.event;

import java.util.List;

/**
 * One task a model version handles: its dataset, its class names and its frozen classification head. Heads never change
 * after they are created; only the encoder is fine-tuned and interpolated.
 */
public record TaskHead(String task, String dataset, List<String> classNames, CheckpointRef head, TaskRole role) {

  public TaskHead {
    EventValidation.requireText(task, "task");
    EventValidation.requireText(dataset, "dataset");
    EventValidation.requireNonEmpty(classNames, "classNames");
    EventValidation.requireNonNull(head, "head");
    EventValidation.requireNonNull(role, "role");
    classNames = List.copyOf(classNames);
  }
}
