package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paint.shared.event.ModelPromoted;
import dev.paint.shared.storage.ObjectKeys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Breaks the real pipeline while a small patch task is in flight and checks that the task still ends in exactly one
 * promotion: each service killed with SIGKILL in its stage and started again, the broker stopped and restarted, and
 * the object store stopped and restarted. Maven's failsafe plugin runs it after the services were packaged. Every
 * test prints how long the recovery took, for docs/reliability.md.
 */
class PipelineFaultsIT {

  private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration TASK_TIMEOUT = Duration.ofMinutes(8);
  private static final Duration POLL = Duration.ofMillis(200);

  private static FaultStack stack;

  @BeforeAll
  static void startStack() {
    stack = FaultStack.start("faults-work");
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @BeforeEach
  void bringStackUp() {
    stack.ensureRunning();
  }

  @Test
  void trainerKilledMidTraining() {
    String model = stack.registerModel("kill-trainer");
    String taskId = stack.submitPatch(model);

    await("trainer fine-tuning " + taskId).atMost(STAGE_TIMEOUT).pollInterval(POLL)
        .until(() -> stack.logContains(PaintService.TRAINER, "Fine-tuning", taskId));
    killAndRestart(PaintService.TRAINER);

    assertPromotedOnce(model, taskId);
  }

  @Test
  void interpolatorKilledMidUpload() {
    String model = stack.registerModel("kill-interpolator");
    String taskId = stack.submitPatch(model);
    String firstCandidate = ObjectKeys.candidate(model, taskId, FaultStack.ALPHAS.get(0));

    await("first candidate of " + taskId).atMost(STAGE_TIMEOUT).pollInterval(POLL)
        .until(() -> stack.objectExists(firstCandidate));
    boolean stageFinished = stack.logContains(PaintService.INTERPOLATOR, "Stored", taskId);
    killAndRestart(PaintService.INTERPOLATOR);

    System.out.printf("FAULT interpolator killed after the first candidate upload; stage finished before the kill:"
        + " %s%n", stageFinished);
    assertPromotedOnce(model, taskId);
  }

  @Test
  void evaluatorKilledMidEvaluation() {
    String model = stack.registerModel("kill-evaluator");
    String taskId = stack.submitPatch(model);

    await("evaluation of " + taskId).atMost(STAGE_TIMEOUT).pollInterval(POLL)
        .until(() -> stack.logContains(PaintService.EVALUATOR, "Evaluating", taskId));
    boolean stageFinished = stack.logContains(PaintService.EVALUATOR, "Chose alpha", taskId);
    killAndRestart(PaintService.EVALUATOR);

    System.out.printf("FAULT evaluator killed during evaluation; alpha chosen before the kill: %s%n", stageFinished);
    assertPromotedOnce(model, taskId);
  }

  @Test
  void registryKilledAfterAlphaChoice() {
    String model = stack.registerModel("kill-registry");
    String taskId = stack.submitPatch(model);

    // The evaluator logs its choice just before it publishes the CandidateSelected event the registry promotes.
    await("alpha choice of " + taskId).atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(50))
        .until(() -> stack.logContains(PaintService.EVALUATOR, "Chose alpha", taskId));
    boolean promotedBeforeKill = stack.logContains(PaintService.REGISTRY, "Promoted version", taskId);
    killAndRestart(PaintService.REGISTRY);

    System.out.printf("FAULT registry killed after the alpha choice; promoted before the kill: %s%n",
        promotedBeforeKill);
    assertPromotedOnce(model, taskId);
  }

  @Test
  void registryKilledAfterPromotionBeforeCommit() {
    String model = stack.registerModel("kill-registry-late");
    String taskId = stack.submitPatch(model);

    // The registry logs the promotion after the broker acknowledged ModelPromoted. The throttled commit strategy
    // commits offsets every auto.commit.interval.ms (5 s by default), so the restarted registry most likely receives
    // the candidate again.
    await("promotion log of " + taskId).atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(20))
        .until(() -> stack.logContains(PaintService.REGISTRY, "Promoted version", taskId));
    killAndRestart(PaintService.REGISTRY);

    assertPromotedOnce(model, taskId);
    System.out.printf("FAULT registry killed after promoting; candidate redelivered after the restart: %s%n",
        stack.logContains(PaintService.REGISTRY, "Ignoring duplicate candidate of task " + taskId));
  }

  @Test
  void brokerRestartedMidTask() {
    String model = stack.registerModel("broker-restart");
    String taskId = stack.submitPatch(model);
    await("trainer fine-tuning " + taskId).atMost(STAGE_TIMEOUT).pollInterval(POLL)
        .until(() -> stack.logContains(PaintService.TRAINER, "Fine-tuning", taskId));

    long stopped = System.nanoTime();
    stack.infrastructure().broker().stop();
    for (PaintService service : PaintService.values()) {
      await(service.module() + " readiness DOWN without the broker").atMost(Duration.ofMinutes(1))
          .pollInterval(POLL).until(() -> stack.services().readinessStatus(service) == 503);
    }
    long notReadyMillis = (System.nanoTime() - stopped) / 1_000_000;
    stack.infrastructure().broker().restart();
    long restarted = System.nanoTime();
    for (PaintService service : PaintService.values()) {
      stack.services().awaitReady(service, Duration.ofMinutes(2));
    }

    System.out.printf("FAULT broker stopped: all four services not ready after %d ms, ready again %d ms after the"
        + " restart%n", notReadyMillis, (System.nanoTime() - restarted) / 1_000_000);
    assertPromotedOnce(model, taskId);
  }

  @Test
  void objectStoreRestartedMidTask() {
    String model = stack.registerModel("store-restart");
    String taskId = stack.submitPatch(model);
    await("trainer fine-tuning " + taskId).atMost(STAGE_TIMEOUT).pollInterval(POLL)
        .until(() -> stack.logContains(PaintService.TRAINER, "Fine-tuning", taskId));

    long stopped = System.nanoTime();
    stack.infrastructure().objectStoreServer().stop();
    for (PaintService service : PaintService.values()) {
      await(service.module() + " readiness DOWN without the object store").atMost(Duration.ofSeconds(30))
          .pollInterval(POLL).until(() -> stack.services().readinessStatus(service) == 503);
    }
    long notReadyMillis = (System.nanoTime() - stopped) / 1_000_000;
    stack.infrastructure().objectStoreServer().restart();
    long outageMillis = (System.nanoTime() - stopped) / 1_000_000;
    for (PaintService service : PaintService.values()) {
      stack.services().awaitReady(service, Duration.ofMinutes(1));
    }

    System.out.printf("FAULT object store stopped for %d ms: all four services not ready after %d ms%n",
        outageMillis, notReadyMillis);
    assertPromotedOnce(model, taskId);
    assertThat(stack.failures(taskId)).isEmpty();
  }

  private static void killAndRestart(PaintService service) {
    long killed = System.nanoTime();
    stack.services().kill(service);
    stack.services().restart(service, FaultStack.READY_TIMEOUT);
    System.out.printf("FAULT %s killed with SIGKILL and ready again after %d ms%n", service.module(),
        (System.nanoTime() - killed) / 1_000_000);
  }

  /** Waits for the task's promotion, then reads the topic to its end and checks there is exactly one. */
  private static void assertPromotedOnce(String model, String taskId) {
    long started = System.nanoTime();
    await("promotion of " + taskId).atMost(TASK_TIMEOUT).pollInterval(Duration.ofSeconds(2))
        .until(() -> !stack.promotions(taskId).isEmpty() || !stack.failures(taskId).isEmpty());
    System.out.printf("FAULT task %s of model %s finished %d ms after the fault was repaired%n", taskId, model,
        (System.nanoTime() - started) / 1_000_000);

    // A registry that resent the event after a restart would add a second one within seconds.
    await("no second promotion of " + taskId).during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofSeconds(2)).until(() -> stack.promotions(taskId).size() <= 1);
    List<ModelPromoted> promotions = stack.promotions(taskId);
    assertThat(stack.failures(taskId)).as("failure events of " + taskId).isEmpty();
    assertThat(promotions).as("promotion events of " + taskId).hasSize(1);
    assertThat(promotions.get(0).modelName()).isEqualTo(model);
    assertThat(promotions.get(0).version()).isEqualTo(2);
    assertThat(stack.versionsOfTask(model, taskId)).as("model versions of " + taskId).isEqualTo(1);
  }
}
