package dev.paint.trainer.service;

import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.storage.StageRecords;
import dev.paint.shared.storage.StageRecords.TaskStages;
import dev.paint.trainer.config.TrainerConfig;
import dev.paint.trainer.domain.SubmittedTask;
import dev.paint.trainer.domain.TrainerStages;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Keeps each model's patch tasks in sequence and runs different models' tasks in parallel. A task starts when every
 * earlier task of its model has been promoted or has failed. Otherwise two tasks submitted back to back would both
 * start from the same deployed version, and the registry would reject the second as stale. Until then the task is
 * parked in memory; its record in the object store is what makes it survive a restart.
 *
 * <p>All queue state is touched only by one dispatcher thread, so it needs no locks. Fine-tuning runs on a pool of
 * {@code paint.trainer.max-concurrent-tasks} worker threads, never on the Kafka consumer's thread.
 */
@ApplicationScoped
public class PatchTaskScheduler {

  private static final Logger LOG = Logger.getLogger(PatchTaskScheduler.class);

  /** How often parked tasks are checked again, in case a promotion or failure was recorded while no event came in. */
  private static final long RECHECK_MILLIS = 1_000;

  @Inject StageRecords stages;
  @Inject TrainerConfig config;
  @Inject PatchTaskRunner runner;

  private final Map<String, ModelQueue> models = new HashMap<>();
  private final Set<String> scheduled = new HashSet<>();
  private ScheduledExecutorService dispatcher;
  private ExecutorService workers;

  /** One model's parked tasks, in submission order, and the task it is training now, if any. */
  private static final class ModelQueue {
    private final Deque<Parked> parked = new ArrayDeque<>();
    private String training;
    private String reportedWaiting;
  }

  private record Parked(SubmittedTask task, long parkedAtNanos) {}

  /** Starts the threads and queues the resumption of recorded tasks before any new task can be queued. */
  @PostConstruct
  void start() {
    if (config.maxConcurrentTasks() < 1) {
      throw new IllegalArgumentException("paint.trainer.max-concurrent-tasks is " + config.maxConcurrentTasks()
          + "; set it to 1 or more");
    }
    dispatcher = Executors.newSingleThreadScheduledExecutor(threads("paint-trainer-dispatcher"));
    workers = Executors.newFixedThreadPool(config.maxConcurrentTasks(), threads("paint-trainer-worker"));

    resume();
    dispatcher.scheduleWithFixedDelay(this::dispatchAll, RECHECK_MILLIS, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Creates the scheduler at startup, so that recorded tasks resume even when no new task arrives. */
  void onStart(@Observes StartupEvent event) {
    LOG.debugf("Patch task scheduler started with %d workers", config.maxConcurrentTasks());
  }

  /** Stops taking work. A task interrupted here is resumed from its records at the next start. */
  @PreDestroy
  void stop() throws InterruptedException {
    dispatcher.shutdownNow();
    workers.shutdownNow();
    workers.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** Queues a recorded task behind its model's earlier tasks. A task that is already queued or training is ignored. */
  public void submit(SubmittedTask task) {
    post(() -> enqueue(task));
  }

  /** Lets the model's next parked task start, now that {@code taskId}'s promotion or failure is recorded. */
  public void taskClosed(String modelName, String taskId) {
    post(() -> dispatch(modelName));
  }

  /** Runs {@code step} on the dispatcher thread, unless the scheduler is stopping. */
  private void post(Runnable step) {
    try {
      dispatcher.execute(step);
    } catch (RejectedExecutionException e) {
      // The task is recorded already, so the next start resumes it from the object store.
      LOG.debug("Patch task scheduler is stopping, so recorded tasks resume at the next start");
    }
  }

  private void enqueue(SubmittedTask task) {
    if (!scheduled.add(task.modelName() + "/" + task.taskId())) {
      LOG.debugf("Patch task %s of model %s is already queued", task.taskId(), task.modelName());
      return;
    }

    models.computeIfAbsent(task.modelName(), name -> new ModelQueue()).parked.add(new Parked(task, System.nanoTime()));
    dispatch(task.modelName());
  }

  private void dispatchAll() {
    try {
      List.copyOf(models.keySet()).forEach(this::dispatch);
    } catch (RuntimeException e) {
      // A failed check (object store unreachable) must not cancel the periodic task, which would park tasks for good.
      LOG.warnf(e, "Checking parked patch tasks failed; retrying in %d ms", RECHECK_MILLIS);
    }
  }

  /** Starts the model's oldest parked task when the model trains nothing and has no task awaiting its outcome. */
  private void dispatch(String modelName) {
    ModelQueue queue = models.get(modelName);
    if (queue == null || queue.training != null || queue.parked.isEmpty()) {
      return;
    }

    Parked next = queue.parked.peek();
    String taskId = next.task().taskId();
    List<String> open = new ArrayList<>(stages.openTasks(modelName, TrainerStages.FINE_TUNED, TrainerStages.CLOSED));
    open.remove(taskId);
    if (!open.isEmpty() && !waitedTooLong(next)) {
      if (!taskId.equals(queue.reportedWaiting)) {
        LOG.infof("Patch task %s of model %s waits for earlier tasks %s", taskId, modelName, open);
        queue.reportedWaiting = taskId;
      }
      return;
    }
    if (!open.isEmpty()) {
      LOG.warnf("Patch task %s of model %s starts although tasks %s are still open after %s; check their stages",
          taskId, modelName, open, config.predecessorTimeout());
    }

    queue.parked.poll();
    queue.training = taskId;
    workers.execute(() -> train(next.task()));
  }

  private boolean waitedTooLong(Parked parked) {
    return System.nanoTime() - parked.parkedAtNanos() > config.predecessorTimeout().toNanos();
  }

  private void train(SubmittedTask task) {
    try {
      runner.run(task.task());
    } catch (RuntimeException e) {
      LOG.errorf(e, "Patch task %s of model %s stopped with an error; it resumes at the next start of the trainer",
          task.taskId(), task.modelName());
    } finally {
      post(() -> trainingEnded(task));
    }
  }

  private void trainingEnded(SubmittedTask task) {
    models.get(task.modelName()).training = null;
    scheduled.remove(task.modelName() + "/" + task.taskId());
    dispatch(task.modelName());
  }

  /**
   * Queues the resumption of the tasks recorded in the object store and not closed. It runs once at startup. Running
   * it again, as a test does to stand in for a restart, skips the tasks already queued or training.
   */
  public void resume() {
    post(this::resumeOrRetry);
  }

  private void resumeOrRetry() {
    try {
      resumeRecordedTasks();
    } catch (RuntimeException e) {
      LOG.errorf(e, "Resuming recorded patch tasks failed; retrying in %d ms", RECHECK_MILLIS);
      dispatcher.schedule(this::resumeOrRetry, RECHECK_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Resumes the tasks recorded before a restart and not closed since. A fine-tuned one whose event was not published
   * is published, and an untrained one is queued again in submission order.
   */
  private void resumeRecordedTasks() {
    List<SubmittedTask> untrained = new ArrayList<>();
    for (TaskStages recorded : stages.allTasks()) {
      Set<String> done = recorded.stages();
      if (!done.contains(TrainerStages.SUBMITTED) || done.contains(TrainerStages.CLOSED)) {
        continue;
      }
      if (done.contains(TrainerStages.FINE_TUNED)) {
        if (!done.contains(TrainerStages.PUBLISHED)) {
          stages.find(recorded.modelName(), recorded.taskId(), TrainerStages.FINE_TUNED, EncoderFineTuned.class)
              .ifPresent(result -> workers.execute(() -> runner.publish(result)));
        }
        continue;
      }
      stages.find(recorded.modelName(), recorded.taskId(), TrainerStages.SUBMITTED, SubmittedTask.class)
          .ifPresent(untrained::add);
    }

    untrained.sort(SubmittedTask.SUBMISSION_ORDER);
    if (!untrained.isEmpty()) {
      LOG.infof("Resuming %d recorded patch tasks: %s", untrained.size(),
          untrained.stream().map(SubmittedTask::taskId).toList());
    }
    untrained.forEach(this::enqueue);
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
