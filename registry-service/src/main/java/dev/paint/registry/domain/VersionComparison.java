package dev.paint.registry.domain;

import java.util.List;

/**
 * Accuracy of two versions of one model side by side, per task. Accuracies are the patched accuracies in percent that
 * each version recorded when it was chosen or imported.
 *
 * @param from the version compared against, usually the older one
 * @param to the version compared, usually the newer one
 * @param tasks one entry per task that either version handles or has an accuracy for, sorted by task name
 */
public record VersionComparison(String modelName, int from, int to, List<TaskComparison> tasks) {

  public VersionComparison {
    tasks = List.copyOf(tasks);
  }

  /**
   * One task's accuracies in both versions. A value is null where that version recorded no accuracy for the task, and
   * so is each difference that needs it.
   *
   * @param validationDifference {@code toValidation - fromValidation}, in accuracy points
   * @param testDifference {@code toTest - fromTest}, in accuracy points
   */
  public record TaskComparison(
      String task,
      Double fromValidation,
      Double toValidation,
      Double validationDifference,
      Double fromTest,
      Double toTest,
      Double testDifference) {}
}
