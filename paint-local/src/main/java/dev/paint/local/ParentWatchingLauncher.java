package dev.paint.local;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of every child JVM: runs the real main class (the Kafka broker, the storage tool or S3Proxy) and exits
 * when the parent JVM is gone.
 *
 * <p>The parent's shutdown hook stops its children on a normal exit, but a parent killed with SIGKILL runs no hooks.
 * Without this watch the broker and the object store would keep running and hold their ports. {@code System.exit}
 * runs the child's own shutdown hooks, so Kafka still shuts down cleanly.
 *
 * <p>Arguments: the parent's process id, the main class, then that main class's arguments.
 */
final class ParentWatchingLauncher {

  /** Exit status of a child that ends because its parent exited. */
  static final int PARENT_EXITED_STATUS = 143;

  private ParentWatchingLauncher() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("Usage: ParentWatchingLauncher <parent pid> <main class> [arguments...]");
      System.exit(2);
    }
    long parentPid = Long.parseLong(args[0]);
    String mainClassName = args[1];
    String[] mainArgs = Arrays.copyOfRange(args, 2, args.length);

    exitWhenParentExits(parentPid);

    Method main = Class.forName(mainClassName).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) mainArgs);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenParentExits(long parentPid) {
    Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
    if (parent.isEmpty()) {
      System.err.println("Parent process " + parentPid + " is not running, so this child exits");
      System.exit(PARENT_EXITED_STATUS);
    }

    // The parent is not our child, so the JDK can only poll whether it is alive: the exit is seen with a delay.
    parent
        .get()
        .onExit()
        .thenRun(
            () -> {
              System.err.println("Parent process " + parentPid + " exited, so this child exits");
              System.exit(PARENT_EXITED_STATUS);
            });
  }
}
