package dev.paint.evaluator.service;

import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.model.ClassificationHead;

/** One seen task ready for evaluation: its head and its validation and test splits. */
record TaskData(TaskHead task, ClassificationHead head, LabeledImages validation, LabeledImages test) {

  String name() {
    return task.task();
  }
}
