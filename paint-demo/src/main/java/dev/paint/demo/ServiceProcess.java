package dev.paint.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Quarkus service running as a child process: {@code java -jar quarkus-run.jar} with its configuration in
 * environment variables and its stdout and stderr in one log file.
 */
public final class ServiceProcess implements AutoCloseable {

  /** Quarkus SmallRye Health's readiness endpoint: 200 once every readiness check (Kafka, object store) is up. */
  static final String READINESS_PATH = "/q/health/ready";

  /** Quarkus SmallRye Health's liveness endpoint; SmallRye Reactive Messaging reports a failed channel there. */
  static final String LIVENESS_PATH = "/q/health/live";

  static final int LOG_TAIL_LINES = 60;

  private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration STOP_GRACE_PERIOD = Duration.ofSeconds(20);

  private final PaintService service;
  private final Process process;
  private final Path jar;
  private final int port;
  private final Map<String, String> environment;
  private final Path logFile;

  private ServiceProcess(
      PaintService service, Process process, Path jar, int port, Map<String, String> environment, Path logFile) {
    this.service = service;
    this.process = process;
    this.jar = jar;
    this.port = port;
    this.environment = Map.copyOf(environment);
    this.logFile = logFile;
  }

  /**
   * Starts {@code jar} with the JVM running this demo, appending its output to {@code logFile}.
   *
   * @param environment variables added to this process's environment, such as KAFKA_BOOTSTRAP_SERVERS
   */
  public static ServiceProcess start(
      PaintService service, Path jar, int port, Map<String, String> environment, Path logFile) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // DJL must not try to download the PyTorch native library: the build ships it in pytorch-native-cpu.
    command.add("-Dai.djl.offline=true");
    command.add("-Xmx" + service.heap());
    command.addAll(service.jvmOptions());
    command.add("-jar");
    command.add(jar.toString());

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(logFile.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(nullDevice().toFile()));
    builder.environment().putAll(environment);
    try {
      return new ServiceProcess(service, builder.start(), jar, port, environment, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("Starting " + service.module() + " failed (command " + command + ")", e);
    }
  }

  public PaintService service() {
    return service;
  }

  /** Returns the service's base URL, such as {@code http://127.0.0.1:41234}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /**
   * Polls the readiness endpoint until it returns 200.
   *
   * @throws DemoFailedException when the process exits first or {@code timeout} passes; the message ends with the
   *     last lines of the service's log
   */
  public void awaitReady(HttpClient http, Duration timeout) {
    URI readiness = baseUri().resolve(READINESS_PATH);
    HttpRequest request = HttpRequest.newBuilder(readiness).timeout(PROBE_TIMEOUT).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int lastStatus = -1;
    while (true) {
      if (!process.isAlive()) {
        throw new DemoFailedException(service.module() + " exited with status " + process.exitValue()
            + " before it was ready; last lines of " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
      }
      lastStatus = probe(http, request);
      if (lastStatus == 200) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new DemoFailedException(service.module() + " was not ready within " + timeout.toSeconds() + " s (GET "
            + readiness + " last returned " + (lastStatus < 0 ? "no response" : "status " + lastStatus)
            + "); last lines of " + logFile + ":\n" + logTail(LOG_TAIL_LINES));
      }
      sleep(POLL_INTERVAL);
    }
  }

  /**
   * Probes the liveness endpoint once and returns null when it returns 200. Otherwise returns the status and body, or
   * the error when the service does not respond.
   */
  public String livenessProblem(HttpClient http) {
    HttpRequest request =
        HttpRequest.newBuilder(baseUri().resolve(LIVENESS_PATH)).timeout(PROBE_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? null : "status " + response.statusCode() + ": " + response.body();
    } catch (IOException e) {
      return "no response: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Returns the last {@code lines} lines of the service's log, or a note when it cannot be read. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e.getMessage() + ")";
    }
  }

  /**
   * Kills the service with SIGKILL, as a crash would, and waits until it exited. On Linux,
   * {@link Process#destroyForcibly()} sends SIGKILL, so no shutdown hook runs and no message is acknowledged.
   */
  public void kill() {
    try {
      if (!process.destroyForcibly().waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new DemoFailedException(service.module() + " (pid " + process.pid() + ") still runs "
            + STOP_GRACE_PERIOD.toSeconds() + " s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailedException("Interrupted while killing " + service.module(), e);
    }
  }

  /**
   * Starts the same jar again with the same port, environment and log file, and returns the new process without
   * waiting for it to be ready. This process must have exited.
   */
  public ServiceProcess restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(service.module() + " (pid " + process.pid() + ") still runs; kill or stop it"
          + " before starting it again on port " + port);
    }
    return start(service, jar, port, environment, logFile);
  }

  /** Returns the HTTP status of one probe of the readiness endpoint, or -1 when the service does not respond. */
  public int readinessStatus(HttpClient http) {
    return probe(http, HttpRequest.newBuilder(baseUri().resolve(READINESS_PATH)).timeout(PROBE_TIMEOUT).GET().build());
  }

  /** Sends SIGTERM without waiting, so that several services can shut down in parallel. */
  public void requestStop() {
    process.destroy();
  }

  /** Sends SIGTERM, so Quarkus shuts down cleanly, and kills the process if it still runs after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the HTTP status of one readiness probe, or -1 when the service does not respond yet. */
  private static int probe(HttpClient http, HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      // Refused connections and timed-out probes are expected while the service boots.
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailedException("Interrupted while waiting for " + request.uri(), e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DemoFailedException("Interrupted while waiting for a service to become ready", e);
    }
  }

  private static Path nullDevice() {
    return Path.of(System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "NUL" : "/dev/null");
  }
}
