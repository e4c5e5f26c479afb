package dev.paint.trainer.service;

import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.storage.StageRecords;
import dev.paint.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps one model's patch tasks in sequence. A task starts only when every earlier task of its model that reached
 * fine-tuning has been promoted or has failed. Otherwise two tasks submitted back to back would both start from the
 * same deployed version, and the registry would reject the second as stale.
 */
@ApplicationScoped
public class SequentialPatching {

  /** Stage record of a task that reached fine-tuning. */
  public static final String STARTED_STAGE = "fine-tuned";
  /** Stage record written when the task was promoted or failed. */
  public static final String CLOSED_STAGE = "closed";

  private static final Logger LOG = Logger.getLogger(SequentialPatching.class);
  private static final long POLL_MILLIS = 1_000;

  @Inject StageRecords stages;
  @Inject TrainerConfig config;

  /**
   * Blocks until no other task of the model is in flight, or until {@code paint.trainer.predecessor-timeout} passed.
   * The record store is the source of truth, so the wait survives a restart of the trainer.
   */
  public void awaitPredecessors(PatchTaskSubmitted task) {
    long deadline = System.nanoTime() + config.predecessorTimeout().toNanos();
    boolean logged = false;
    while (true) {
      List<String> open = new ArrayList<>(stages.openTasks(task.modelName(), STARTED_STAGE, CLOSED_STAGE));
      open.remove(task.taskId());
      if (open.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        LOG.warnf("Patch task %s of model %s starts although tasks %s are still open after %s; check their stages",
            task.taskId(), task.modelName(), open, config.predecessorTimeout());
        return;
      }
      if (!logged) {
        LOG.infof("Patch task %s of model %s waits for earlier tasks %s", task.taskId(), task.modelName(), open);
        logged = true;
      }
      sleep();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for earlier patch tasks", e);
    }
  }
}
