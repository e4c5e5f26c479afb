package dev.paint.shared.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.shared.storage.StageRecords.TaskStages;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs {@link StageRecords} against S3Proxy on 127.0.0.1, one bucket per test. */
class StageRecordsTest {

  @RegisterExtension
  static final LocalObjectStoreExtension S3PROXY = new LocalObjectStoreExtension();

  private ObjectStore objects;
  private StageRecords stages;

  @BeforeEach
  void createBucket() {
    objects = S3PROXY.createBucket("stages-");
    stages = new StageRecords(objects);
  }

  @Test
  void allTasksListsStagesPerTask() {
    stages.save("model-a", "task-1", "submitted", Map.of("n", 1));
    stages.save("model-a", "task-1", "fine-tuned", Map.of("n", 2));
    stages.save("model-a", "task-2", "submitted", Map.of("n", 3));
    stages.save("model-b", "task-1", "closed", Map.of("n", 4));
    objects.putJson("tasks/model-a/task-1/fine-tuned.safetensors.manifest.json", Map.of("n", 5));

    List<TaskStages> tasks = stages.allTasks();

    assertThat(tasks).containsExactly(
        new TaskStages("model-a", "task-1", Set.of("fine-tuned", "submitted")),
        new TaskStages("model-a", "task-2", Set.of("submitted")),
        new TaskStages("model-b", "task-1", Set.of("closed")));
  }

  @Test
  void allTasksOfEmptyStoreIsEmpty() {
    assertThat(stages.allTasks()).isEmpty();
  }
}
