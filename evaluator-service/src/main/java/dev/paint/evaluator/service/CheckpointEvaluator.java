package dev.paint.evaluator.service;

import ai.djl.Device;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.model.AccuracyEvaluator;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.WorkDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Downloads, verifies and loads one encoder checkpoint at a time, single file or sharded, and measures it on a split
 * of each task.
 */
final class CheckpointEvaluator {

  private final CheckpointStore checkpoints;
  private final EncoderSpec architecture;
  private final Device device;
  private final WorkDirectory work;

  CheckpointEvaluator(CheckpointStore checkpoints, EncoderSpec architecture, Device device, WorkDirectory work) {
    this.checkpoints = checkpoints;
    this.architecture = architecture;
    this.device = device;
    this.work = work;
  }

  /** Returns accuracy in percent per task name. */
  Map<String, Double> accuracy(CheckpointRef checkpoint, List<TaskData> tasks, Split split) {
    Path file = CheckpointStore.localPath(checkpoint, work.path(), "encoder");
    checkpoints.download(checkpoint, file);
    Map<String, Double> accuracy = new LinkedHashMap<>();
    // One encoder at a time: its native memory is freed before the next candidate loads.
    try (Encoder encoder = Encoder.load(architecture, file, device)) {
      for (TaskData task : tasks) {
        var images = split == Split.VALIDATION ? task.validation() : task.test();
        accuracy.put(task.name(), AccuracyEvaluator.accuracy(encoder, task.head(), images));
      }
    }
    return accuracy;
  }
}
