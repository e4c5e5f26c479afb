package dev.paint.registry.service;

import dev.paint.registry.domain.ModelVersion;
import dev.paint.registry.domain.VersionComparison;
import dev.paint.registry.domain.VersionComparison.TaskComparison;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.TaskAccuracy;
import dev.paint.shared.event.TaskHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Compares the recorded per-task accuracies of two versions of one model. */
@ApplicationScoped
public class VersionComparer {

  private final ModelRegistry registry;

  @Inject
  public VersionComparer(ModelRegistry registry) {
    this.registry = registry;
  }

  /**
   * Compares version {@code to} of {@code modelName} with version {@code from}.
   *
   * @throws RegistryNotFoundException when the model or one of the versions is not stored
   */
  public VersionComparison compare(String modelName, int from, int to) {
    EventValidation.requireId(modelName, "model name");
    ModelVersion fromVersion = requireVersion(modelName, from);
    ModelVersion toVersion = requireVersion(modelName, to);

    SortedSet<String> tasks = new TreeSet<>();
    tasks.addAll(taskNames(fromVersion));
    tasks.addAll(taskNames(toVersion));

    List<TaskComparison> comparisons = new ArrayList<>();
    for (String task : tasks) {
      comparisons.add(compareTask(task, fromVersion.accuracy().get(task), toVersion.accuracy().get(task)));
    }
    return new VersionComparison(modelName, from, to, comparisons);
  }

  private ModelVersion requireVersion(String modelName, int version) {
    return registry.version(modelName, version).orElseThrow(() -> new RegistryNotFoundException(
        "Model '" + modelName + "' has no version " + version + ": GET /models/" + modelName
            + "/versions lists the stored versions"));
  }

  private static List<String> taskNames(ModelVersion version) {
    List<String> names = new ArrayList<>(version.accuracy().keySet());
    version.tasks().stream().map(TaskHead::task).forEach(names::add);
    return names;
  }

  private static TaskComparison compareTask(String task, TaskAccuracy from, TaskAccuracy to) {
    Double fromValidation = from == null ? null : from.patchedValidation();
    Double toValidation = to == null ? null : to.patchedValidation();
    Double fromTest = from == null ? null : from.patchedTest();
    Double toTest = to == null ? null : to.patchedTest();
    return new TaskComparison(task, fromValidation, toValidation, difference(fromValidation, toValidation), fromTest,
        toTest, difference(fromTest, toTest));
  }

  private static Double difference(Double from, Double to) {
    if (from == null || to == null || from.isNaN() || to.isNaN()) {
      return null;
    }
    return to - from;
  }
}
