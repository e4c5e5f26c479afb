package dev.paint.local;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Starts, waits for and stops the child JVMs of the local stack. Each child runs {@link ParentWatchingLauncher} on the
 * classpath of {@link LocalStackRuntime}, with stdout and stderr appended to one log file.
 */
final class ChildJvm {

  private static final Logger LOG = Logger.getLogger(ChildJvm.class);

  /** Time a child gets to run its shutdown hooks after SIGTERM before it is killed. */
  static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(30);

  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  private static final int ERROR_TAIL_LINES = 40;
  private static final long TAIL_BYTES = 64 * 1024;

  private static final Pattern HEAP_SIZE = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

  private ChildJvm() {}

  /** Returns {@code heap} if it is a valid -Xmx value such as "512m" or "1g". */
  static String requireHeapSize(String heap, String name) {
    if (heap == null || !HEAP_SIZE.matcher(heap).matches()) {
      throw new IllegalArgumentException("Invalid " + name + " '" + heap + "': use -Xmx syntax such as 512m or 1g");
    }
    return heap;
  }

  /** Returns the JVM options every child gets: its maximum heap and its logback configuration. */
  static List<String> jvmOptions(String heap, Path logbackConfig) {
    return List.of("-Xmx" + heap, "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logbackConfig);
  }

  /**
   * Starts {@code mainClass} in a child JVM. The child is registered with {@link ChildProcessReaper}, so it is stopped
   * when this JVM exits.
   */
  static Process start(Path libDirectory, String mainClass, List<String> jvmOptions, List<String> args, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(LocalStackRuntime.javaExecutable().toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(LocalStackRuntime.childClasspath(libDirectory));
    command.add(ParentWatchingLauncher.class.getName());
    command.add(Long.toString(ProcessHandle.current().pid()));
    command.add(mainClass);
    command.addAll(args);

    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(logFile.getParent().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));

    try {
      Process process = builder.start();
      ChildProcessReaper.register(process);
      LOG.debugf("Started %s in child JVM %d, log %s", mainClass, process.pid(), logFile);
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start a child JVM for " + mainClass + " (command " + command + ")", e);
    }
  }

  /** Runs {@code mainClass} in a child JVM to its end and returns its exit status. Kills it after {@code timeout}. */
  static int runToCompletion(
      Path libDirectory, String mainClass, List<String> jvmOptions, List<String> args, Path logFile, Duration timeout) {
    Process process = start(libDirectory, mainClass, jvmOptions, args, logFile);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new IllegalStateException(
            mainClass + " timed out after " + format(timeout) + ", so it was killed. Last lines of " + logFile
                + ":\n" + tail(logFile, ERROR_TAIL_LINES));
      }
      ChildProcessReaper.unregister(process);
      return process.exitValue();
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + mainClass + " to finish", e);
    }
  }

  /**
   * Polls {@code ready} until it returns true. Fails with the tail of the log when the child exits first, and kills
   * the child when {@code timeout} passes or the calling thread is interrupted.
   */
  static void awaitReady(Process process, BooleanSupplier ready, Duration timeout, String name, Path logFile) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!ready.getAsBoolean()) {
        if (!process.isAlive()) {
          ChildProcessReaper.unregister(process);
          throw new IllegalStateException(
              name + " exited with status " + process.exitValue() + " during startup. Last lines of " + logFile
                  + ":\n" + tail(logFile, ERROR_TAIL_LINES));
        }
        if (System.nanoTime() > deadline) {
          kill(process);
          throw new IllegalStateException(
              name + " timed out after " + format(timeout) + " during startup, so it was killed."
                  + " On a slow machine, raise the builder's startupTimeout. Last lines of " + logFile + ":\n"
                  + tail(logFile, ERROR_TAIL_LINES));
        }
        Thread.sleep(POLL_INTERVAL.toMillis());
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + name + " to start", e);
    }
  }

  /** Sends SIGTERM, so the child runs its shutdown hooks, and kills it if it is still alive after the grace period. */
  static void stop(Process process, Duration gracePeriod) {
    process.destroy();
    try {
      if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf("Child JVM %d did not stop within %s after SIGTERM, so it is killed", process.pid(), format(gracePeriod));
        kill(process);
      }
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
    } finally {
      ChildProcessReaper.unregister(process);
    }
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  static void kill(Process process) {
    process.destroyForcibly();
    try {
      if (!process.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warnf("Child JVM %d is still alive %d s after SIGKILL", process.pid(), KILL_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ChildProcessReaper.unregister(process);
    }
  }

  /** Returns the log text written from byte {@code offset} on, or an empty string when there is none. */
  static String readFrom(Path logFile, long offset) {
    if (!Files.exists(logFile)) {
      return "";
    }

    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = file.length();
      if (length <= offset) {
        return "";
      }
      byte[] bytes = new byte[Math.toIntExact(length - offset)];
      file.seek(offset);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read log file " + logFile, e);
    }
  }

  /** Returns the size of the log file in bytes, 0 when it does not exist yet. */
  static long size(Path logFile) {
    try {
      return Files.exists(logFile) ? Files.size(logFile) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read the size of log file " + logFile, e);
    }
  }

  /** Returns the last {@code lineCount} lines of the log, for error messages. */
  static String tail(Path logFile, int lineCount) {
    if (!Files.exists(logFile)) {
      return "(no log file " + logFile + ")";
    }

    String end;
    try {
      end = readFrom(logFile, Math.max(0, size(logFile) - TAIL_BYTES));
    } catch (UncheckedIOException e) {
      return "(failed to read log file " + logFile + ": " + e.getMessage() + ")";
    }
    List<String> lines = end.lines().collect(Collectors.toList());
    return String.join("\n", lines.subList(Math.max(0, lines.size() - lineCount), lines.size()));
  }

  private static String format(Duration duration) {
    return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }

  private static File nullDevice() {
    boolean windows = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    return new File(windows ? "NUL" : "/dev/null");
  }
}
