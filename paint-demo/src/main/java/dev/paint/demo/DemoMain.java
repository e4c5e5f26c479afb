package dev.paint.demo;

import java.io.PrintStream;
import java.util.Optional;

/**
 * Entry point of {@code paint-demo.jar}: parses the options, runs {@link PaintDemo}, prints the report and writes it as
 * JSON. Exits with 0 only when every patch task was promoted, 1 when the run failed and 2 for invalid options.
 */
public final class DemoMain {

  private DemoMain() {}

  public static void main(String[] args) {
    // Set before the first logger exists, so JBoss Logging and SLF4J use JBoss LogManager with logging.properties.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }
    // DJL reads this before loading PyTorch: the native library comes from the pytorch-native-cpu jar, never the web.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the demo and returns the process exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Optional<DemoSettings> settings;
    try {
      settings = DemoOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException | DemoFailedException e) {
      err.println(e.getMessage());
      err.println(DemoOptions.USAGE);
      return 2;
    }
    if (settings.isEmpty()) {
      out.println(DemoOptions.USAGE);
      return 0;
    }

    try {
      DemoReport report = new PaintDemo(settings.get(), out).run();
      out.println();
      out.print(ReportFormatter.format(report));
      ReportFormatter.writeJson(report, settings.get().reportFile());
      out.println("\nReport written to " + settings.get().reportFile());
      return report.allPromoted() ? 0 : 1;
    } catch (DemoFailedException e) {
      err.println("\nThe demo failed: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      // Not one of the demo's own failures, so the stack trace is the best description there is.
      err.println("\nThe demo failed unexpectedly:");
      e.printStackTrace(err);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("\nThe demo was interrupted");
      return 1;
    }
  }
}
