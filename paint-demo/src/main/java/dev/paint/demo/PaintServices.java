package dev.paint.demo;

import dev.paint.shared.storage.ObjectStoreSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four services of one demo run as child processes on free loopback ports, configured through the environment
 * variables that Quarkus maps to their configuration keys.
 *
 * <p>NOTE: the services are stopped by {@link #close()}, which the demo also calls from a shutdown hook. A demo JVM
 * killed with SIGKILL runs no hook, and its services then keep running until they are killed by hand.
 */
public final class PaintServices implements AutoCloseable {

  /** Liveness probes in a row that must fail before a running service counts as broken. */
  static final int LIVENESS_FAILURES_BEFORE_BROKEN = 3;

  private static final String LOOPBACK = "127.0.0.1";

  private final Map<PaintService, ServiceProcess> processes;
  private final Path logDirectory;
  private final String registryApiToken;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<PaintService, Integer> livenessFailures = new EnumMap<>(PaintService.class);

  private PaintServices(Map<PaintService, ServiceProcess> processes, Path logDirectory, String registryApiToken) {
    this.processes = processes;
    this.logDirectory = logDirectory;
    this.registryApiToken = registryApiToken;
  }

  /**
   * Starts all four services at once, then waits for each one's readiness endpoint.
   *
   * @param readyTimeout how long each service may take to become ready, counted from when the demo starts waiting for
   *     it
   * @throws DemoFailedException when a service exits or is not ready in time; every started service is stopped first
   */
  public static PaintServices start(
      RepositoryLayout layout, LocalInfrastructure infrastructure, Path logDirectory, Duration readyTimeout,
      PrintStream out) {
    createDirectories(logDirectory);
    Map<PaintService, Integer> ports = new EnumMap<>(PaintService.class);
    for (PaintService service : PaintService.values()) {
      ports.put(service, freePort());
    }

    Map<PaintService, ServiceProcess> processes = new EnumMap<>(PaintService.class);
    PaintServices services = new PaintServices(processes, logDirectory, newApiToken());
    try {
      for (PaintService service : PaintService.values()) {
        Map<String, String> environment = environment(service, infrastructure, ports, services.registryApiToken);
        Path logFile = logDirectory.resolve(service.module() + ".log");
        processes.put(service, ServiceProcess.start(
            service, layout.serviceJar(service), ports.get(service), environment, logFile));
      }

      for (ServiceProcess process : processes.values()) {
        process.awaitReady(services.http, readyTimeout);
        out.printf("  %-21s ready at %s (log %s)%n", process.service().module(), process.baseUri(), process.logFile());
      }
      return services;
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  /** Returns the base URL of {@code service}. */
  public URI baseUri(PaintService service) {
    return processes.get(service).baseUri();
  }

  /** Returns the base URL of every service. */
  public Map<PaintService, URI> baseUris() {
    Map<PaintService, URI> uris = new EnumMap<>(PaintService.class);
    processes.forEach((service, process) -> uris.put(service, process.baseUri()));
    return uris;
  }

  public Path logDirectory() {
    return logDirectory;
  }

  /** Returns the API token of this run's registry-service, which its mutating endpoints require. */
  public String registryApiToken() {
    return registryApiToken;
  }

  /** Returns the log file of {@code service}, which keeps the output of every start. */
  public Path logFile(PaintService service) {
    return processes.get(service).logFile();
  }

  public synchronized boolean isRunning(PaintService service) {
    return processes.get(service).isRunning();
  }

  /** Waits until {@code service} is ready; see {@link ServiceProcess#awaitReady}. */
  public void awaitReady(PaintService service, Duration timeout) {
    processes.get(service).awaitReady(http, timeout);
  }

  /** Kills {@code service} with SIGKILL, as a crash would; see {@link ServiceProcess#kill()}. */
  public synchronized void kill(PaintService service) {
    processes.get(service).kill();
  }

  /**
   * Starts {@code service} again on the same port and configuration after {@link #kill} or a crash, and waits until
   * it is ready.
   */
  public synchronized void restart(PaintService service, Duration readyTimeout) {
    ServiceProcess restarted = processes.get(service).restart();
    processes.put(service, restarted);
    livenessFailures.remove(service);
    restarted.awaitReady(http, readyTimeout);
  }

  /** Returns the HTTP status of one readiness probe of {@code service}, or -1 when it does not respond. */
  public int readinessStatus(PaintService service) {
    return processes.get(service).readinessStatus(http);
  }

  /**
   * Returns why the services cannot finish a patch task, or null when they can: a service stopped, or its liveness
   * check failed {@value #LIVENESS_FAILURES_BEFORE_BROKEN} times in a row. The message names the log to read.
   */
  public synchronized String problem() {
    for (ServiceProcess process : processes.values()) {
      PaintService service = process.service();
      if (!process.isRunning()) {
        return service.module() + " stopped; last lines of " + process.logFile() + ":\n"
            + process.logTail(ServiceProcess.LOG_TAIL_LINES);
      }

      String liveness = process.livenessProblem(http);
      int failures = liveness == null ? 0 : livenessFailures.getOrDefault(service, 0) + 1;
      livenessFailures.put(service, failures);
      if (failures >= LIVENESS_FAILURES_BEFORE_BROKEN) {
        return service.module() + " is not live (" + liveness + "); last lines of " + process.logFile() + ":\n"
            + process.logTail(ServiceProcess.LOG_TAIL_LINES);
      }
    }
    return null;
  }

  /** Stops all services in parallel; each gets 20 s to shut down cleanly before it is killed. */
  @Override
  public synchronized void close() {
    processes.values().forEach(ServiceProcess::requestStop);
    processes.values().forEach(ServiceProcess::close);
  }

  /**
   * Returns the variables that configure {@code service}; see each service's application.properties. The registry's
   * API token goes to the registry and to the trainer, which sends it when the registry requires it for reads.
   */
  static Map<String, String> environment(
      PaintService service, LocalInfrastructure infrastructure, Map<PaintService, Integer> ports,
      String registryApiToken) {
    ObjectStoreSettings store = infrastructure.objectStoreSettings();
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("KAFKA_BOOTSTRAP_SERVERS", infrastructure.bootstrapServers());
    environment.put("PAINT_OBJECT_STORE_ENDPOINT", store.endpoint());
    environment.put("PAINT_OBJECT_STORE_ACCESS_KEY", store.accessKey());
    environment.put("PAINT_OBJECT_STORE_SECRET_KEY", store.secretKey());
    environment.put("PAINT_OBJECT_STORE_BUCKET", store.bucket());
    environment.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(service)));
    // Quarkus binds to every interface by default; the demo's services are reachable from this machine only.
    environment.put("QUARKUS_HTTP_HOST", LOOPBACK);
    if (service == PaintService.TRAINER) {
      environment.put("PAINT_REGISTRY_URL", "http://" + LOOPBACK + ":" + ports.get(PaintService.REGISTRY));
    }
    if (service == PaintService.TRAINER || service == PaintService.REGISTRY) {
      environment.put("PAINT_REGISTRY_API_TOKEN", registryApiToken);
    }
    return environment;
  }

  /** Returns a new random token of 256 bits in hex, so that every run's registry has a token of its own. */
  private static String newApiToken() {
    byte[] token = new byte[32];
    new SecureRandom().nextBytes(token);
    return HexFormat.of().formatHex(token);
  }

  /** Returns a port that was free a moment ago; a service that loses it to another process fails to start. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Finding a free port on " + LOOPBACK + " failed", e);
    }
  }

  private static void createDirectories(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Creating the service log directory " + directory + " failed; choose a writable --work-dir", e);
    }
  }
}
