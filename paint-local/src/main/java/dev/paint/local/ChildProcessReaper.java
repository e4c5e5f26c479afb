package dev.paint.local;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stops the child JVMs that are still running when this JVM exits, so no broker or object store outlives a test run.
 * One shutdown hook serves all children: it sends SIGTERM to all of them first, so they shut down in parallel.
 */
final class ChildProcessReaper {

  private static final long GRACE_PERIOD_MILLIS = 10_000;

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcessReaper::stopAll, "paint-local-child-reaper"));
  }

  private ChildProcessReaper() {}

  static void register(Process process) {
    RUNNING.add(process);
  }

  static void unregister(Process process) {
    RUNNING.remove(process);
  }

  private static void stopAll() {
    List<Process> processes = List.copyOf(RUNNING);
    processes.forEach(Process::destroy);

    long deadline = System.currentTimeMillis() + GRACE_PERIOD_MILLIS;
    for (Process process : processes) {
      try {
        long remaining = Math.max(0, deadline - System.currentTimeMillis());
        if (!process.waitFor(remaining, TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
