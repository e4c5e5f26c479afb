package dev.paint.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stops the child JVMs that are still running when this JVM exits, then deletes the temporary data directories of
 * brokers and stores that were never closed, so nothing outlives a test run that exits normally. One shutdown hook
 * serves all children: it sends SIGTERM to all of them first, so they shut down in parallel.
 */
final class ChildProcessReaper {

  private static final long GRACE_PERIOD_MILLIS = 10_000;

  private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
  private static final Set<Path> TEMPORARY_DIRECTORIES = ConcurrentHashMap.newKeySet();

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

  /** Deletes {@code directory} when this JVM exits, after its children stopped. */
  static void deleteAtExit(Path directory) {
    TEMPORARY_DIRECTORIES.add(directory);
  }

  /** Cancels {@link #deleteAtExit} for a directory that its owner deleted already. */
  static void cancelDeleteAtExit(Path directory) {
    TEMPORARY_DIRECTORIES.remove(directory);
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

    TEMPORARY_DIRECTORIES.forEach(ConfigFiles::deleteRecursively);
  }
}
