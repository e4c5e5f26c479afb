package dev.paint.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A real single-node Apache Kafka broker in KRaft mode, one process acting as broker and controller, running in its
 * own JVM on 127.0.0.1.
 *
 * <p>The broker's files live in {@link #dataDirectory()}: {@code server.properties}, {@code logback.xml}, the broker
 * output in {@code broker.log} and the Kafka log directory {@code kafka-logs/}. {@link #stop()}, {@link #kill()} and
 * {@link #restart()} keep the files, so a restart serves the same topics and committed offsets on the same ports.
 * {@link #close()} stops the broker and deletes the data directory if the broker created it, and a shutdown hook
 * does both for a broker that is never closed.
 *
 * <pre>{@code
 * try (LocalKafkaBroker broker = LocalKafkaBroker.builder().start()) {
 *   String bootstrapServers = broker.bootstrapServers();
 * }
 * }</pre>
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalKafkaBroker.class);

  /** Line that kafka.server.KafkaRaftServer (Kafka 4.1) logs once the broker serves requests. */
  static final String STARTED_MARKER = "Kafka Server started";

  static final String DEFAULT_HEAP = "512m";
  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final String BROKER_MAIN_CLASS = "kafka.Kafka";
  private static final String STORAGE_TOOL_MAIN_CLASS = "kafka.tools.StorageTool";
  private static final String BROKER_JAR_PREFIX = "kafka_2.13-";
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final int NODE_ID = 1;

  /** Keys derived from the ports and the data directory, which an override would break on startup or restart. */
  private static final Set<String> MANAGED_KEYS =
      Set.of(
          "process.roles",
          "node.id",
          "controller.quorum.voters",
          "controller.quorum.bootstrap.servers",
          "listeners",
          "advertised.listeners",
          "controller.listener.names",
          "inter.broker.listener.name",
          "listener.security.protocol.map",
          "log.dir",
          "log.dirs",
          "metadata.log.dir");

  private final Path libDirectory;
  private final Path dataDirectory;
  private final boolean ownsDataDirectory;
  private final int port;
  private final int controllerPort;
  private final String heap;
  private final Map<String, String> extraProperties;
  private final Duration startupTimeout;
  private final String clusterId;

  private Process process;
  private boolean closed;

  private LocalKafkaBroker(Builder builder, Path libDirectory, Path dataDirectory, boolean ownsDataDirectory) {
    this.libDirectory = libDirectory;
    this.dataDirectory = dataDirectory;
    this.ownsDataDirectory = ownsDataDirectory;
    this.port = builder.port == 0 ? LoopbackPorts.freePort() : builder.port;
    this.controllerPort = freePortOtherThan(this.port);
    this.heap = builder.heap;
    this.extraProperties = Map.copyOf(builder.extraProperties);
    this.startupTimeout = builder.startupTimeout;
    this.clusterId = randomClusterId();
  }

  /** Returns a builder with the defaults: a new temporary data directory, free ports and a 512m heap. */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts a broker with the defaults of {@link #builder()}. */
  public static LocalKafkaBroker start() {
    return builder().start();
  }

  /** Returns the {@code bootstrap.servers} value for clients, such as {@code 127.0.0.1:41234}. */
  public String bootstrapServers() {
    return LoopbackPorts.HOST + ":" + port;
  }

  /** Returns the port of the PLAINTEXT client listener. */
  public int port() {
    return port;
  }

  /** Returns the port of the KRaft controller listener. */
  public int controllerPort() {
    return controllerPort;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Returns the file that receives the broker's stdout and stderr across all starts. */
  public Path logFile() {
    return dataDirectory.resolve("broker.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Returns the process id of the broker JVM. */
  public synchronized long pid() {
    requireRunning("pid");
    return process.pid();
  }

  /** Stops the broker with SIGTERM, so it shuts down cleanly and flushes its logs. Does nothing when it is stopped. */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }

    ChildJvm.stop(process, ChildJvm.STOP_GRACE_PERIOD);
    LOG.infof("Kafka broker on %s stopped", bootstrapServers());
  }

  /** Kills the broker with SIGKILL, as a crash would. The next start recovers its logs. */
  public synchronized void kill() {
    if (!isRunning()) {
      return;
    }

    ChildJvm.kill(process);
    LOG.infof("Kafka broker on %s killed", bootstrapServers());
  }

  /** Stops the broker if it runs, then starts it again on the same ports and data directory. */
  public synchronized void restart() {
    requireOpen("restart");

    stop();

    launch();
  }

  /** Stops the broker and deletes the data directory if the broker created it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }

    stop();
    closed = true;

    if (!ownsDataDirectory) {
      return;
    }
    ChildProcessReaper.cancelDeleteAtExit(dataDirectory);
    if (!ConfigFiles.deleteRecursively(dataDirectory)) {
      LOG.warnf("Failed to delete all of the broker data directory %s, so delete it by hand", dataDirectory);
    }
  }

  private void launch() {
    Path serverProperties = dataDirectory.resolve("server.properties");
    ConfigFiles.writeProperties(serverProperties, serverProperties(), false);
    ConfigFiles.writeLogbackConfig(
        dataDirectory.resolve("logback.xml"), Map.of("state.change.logger", "WARN", "kafka.request.logger", "WARN"));

    long startNanos = System.nanoTime();
    formatIfNew(serverProperties);

    long logOffset = ChildJvm.size(logFile());
    process =
        ChildJvm.start(
            libDirectory, BROKER_MAIN_CLASS, jvmOptions(), List.of(serverProperties.toString()), logFile());
    ChildJvm.awaitReady(
        process,
        () -> ChildJvm.readFrom(logFile(), logOffset).contains(STARTED_MARKER)
            && LoopbackPorts.isAcceptingConnections(port),
        startupTimeout,
        "Kafka broker on " + bootstrapServers(),
        logFile());

    LOG.infof(
        "Kafka broker started on %s in %d ms (pid %d, heap %s, data %s)",
        bootstrapServers(),
        Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
        process.pid(),
        heap,
        dataDirectory);
  }

  /** Formats the Kafka log directory unless an earlier start did, in which case its data must be kept. */
  private void formatIfNew(Path serverProperties) {
    if (Files.exists(kafkaLogDirectory().resolve("meta.properties"))) {
      return;
    }

    List<String> args = List.of("format", "-t", clusterId, "-c", serverProperties.toString());
    int status =
        ChildJvm.runToCompletion(
            libDirectory, STORAGE_TOOL_MAIN_CLASS, jvmOptions(), args, logFile(), FORMAT_TIMEOUT);
    if (status != 0) {
      throw new IllegalStateException(
          "Formatting the Kafka log directory " + kafkaLogDirectory() + " failed with status " + status
              + ". Last lines of " + logFile() + ":\n" + ChildJvm.tail(logFile(), 40));
    }
  }

  private Map<String, String> serverProperties() {
    String controllerListener = "CONTROLLER://" + LoopbackPorts.HOST + ":" + controllerPort;
    String clientListener = "PLAINTEXT://" + LoopbackPorts.HOST + ":" + port;

    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put("controller.quorum.voters", NODE_ID + "@" + LoopbackPorts.HOST + ":" + controllerPort);
    properties.put("listeners", clientListener + "," + controllerListener);
    properties.put("advertised.listeners", clientListener);
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    properties.put("log.dirs", kafkaLogDirectory().toString());

    // The internal topics default to replication factor 3, which one broker cannot satisfy: consumer groups and
    // transactions would never become available.
    properties.put("offsets.topic.replication.factor", "1");
    properties.put("transaction.state.log.replication.factor", "1");
    properties.put("transaction.state.log.min.isr", "1");
    properties.put("share.coordinator.state.topic.replication.factor", "1");
    properties.put("share.coordinator.state.topic.min.isr", "1");
    // One partition instead of 50 makes the first consumer group join faster, and one broker gains nothing from more.
    properties.put("offsets.topic.num.partitions", "1");
    // A group with one member need not wait 3 s for more members to join.
    properties.put("group.initial.rebalance.delay.ms", "0");
    // After a kill the controller rejects the restarted broker until the old broker session expires (Kafka's default
    // is 9 s, with a 2 s heartbeat). A 4 s session cut a restart after kill() from about 12 s to about 6 s.
    properties.put("broker.session.timeout.ms", "4000");
    properties.put("broker.heartbeat.interval.ms", "1000");
    properties.put("auto.create.topics.enable", "true");
    properties.put("num.partitions", "1");

    properties.putAll(extraProperties);
    return properties;
  }

  private List<String> jvmOptions() {
    List<String> options = new ArrayList<>(ChildJvm.jvmOptions(heap, dataDirectory.resolve("logback.xml")));
    // The C1 compiler alone halved the broker's startup CPU time (about 4 s to 2 s on a loaded 2-core machine). The
    // broker only carries small events here, so the lower peak speed of C1 code costs little.
    options.add("-XX:TieredStopAtLevel=1");
    return options;
  }

  private Path kafkaLogDirectory() {
    return dataDirectory.resolve("kafka-logs");
  }

  private void requireRunning(String operation) {
    if (!isRunning()) {
      throw new IllegalStateException(
          "Kafka broker on " + bootstrapServers() + " is not running, so " + operation + " is unavailable");
    }
  }

  private void requireOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(
          "Kafka broker on " + bootstrapServers() + " is closed, so " + operation + " is unavailable. Build a new broker.");
    }
  }

  private static int freePortOtherThan(int clientPort) {
    int candidate = LoopbackPorts.freePort();
    while (candidate == clientPort) {
      candidate = LoopbackPorts.freePort();
    }
    return candidate;
  }

  /**
   * Returns a cluster id in the form of Kafka's Uuid.randomUuid: 16 random bytes as unpadded URL-safe base64 (22
   * characters). Like Kafka, it avoids ids starting with '-', which the storage tool would read as an option.
   */
  static String randomClusterId() {
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-"));
    return id;
  }

  /** Settings of a {@link LocalKafkaBroker}; {@link #start()} builds and starts it. */
  public static final class Builder {

    private Path dataDirectory;
    private int port;
    private String heap = DEFAULT_HEAP;
    private final Map<String, String> extraProperties = new LinkedHashMap<>();
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

    private Builder() {}

    /**
     * Sets the directory for the broker's files. Default: a new temporary directory, deleted by close or when the JVM
     * exits.
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** Sets the client port on 127.0.0.1. Default: 0, a free port. The controller always gets a free port. */
    public Builder port(int port) {
      this.port = LoopbackPorts.requireValidPort(port, "Kafka broker port");
      return this;
    }

    /** Sets the maximum heap of the broker JVM in -Xmx syntax, such as "512m" (the default) or "1g". */
    public Builder heap(String heap) {
      this.heap = ChildJvm.requireHeapSize(heap, "Kafka broker heap size");
      return this;
    }

    /**
     * Sets a broker property such as {@code num.partitions}, replacing the default. Listener, quorum, node id and
     * log directory keys are derived from the ports and the data directory and cannot be set.
     */
    public Builder property(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (MANAGED_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "Kafka broker property " + key + " is set by LocalKafkaBroker from its ports and data directory."
                + " Use port() or dataDirectory() instead.");
      }
      extraProperties.put(key, value);
      return this;
    }

    /** Sets how long {@link #start()} waits for the broker. Default: 60 s. */
    public Builder startupTimeout(Duration startupTimeout) {
      if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("Kafka broker startup timeout must be positive, but is " + startupTimeout);
      }
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Starts the broker and returns once it accepts clients.
     *
     * @throws IllegalStateException when the runtime jars are missing or the broker fails to start in time. The
     *     message contains the last lines of the broker log.
     */
    public LocalKafkaBroker start() {
      Path libDirectory = LocalStackRuntime.libDirectory();
      LocalStackRuntime.requireJar(libDirectory, BROKER_JAR_PREFIX);

      boolean ownsDataDirectory = dataDirectory == null;
      Path directory = ownsDataDirectory ? createTempDirectory() : createDirectories(dataDirectory);

      LocalKafkaBroker broker = new LocalKafkaBroker(this, libDirectory, directory, ownsDataDirectory);
      broker.launch();
      return broker;
    }

    private static Path createTempDirectory() {
      try {
        Path directory = Files.createTempDirectory("paint-kafka-");
        ChildProcessReaper.deleteAtExit(directory);
        return directory;
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to create a temporary data directory for the Kafka broker", e);
      }
    }

    private static Path createDirectories(Path directory) {
      try {
        return Files.createDirectories(directory.toAbsolutePath());
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to create the Kafka broker data directory " + directory, e);
      }
    }
  }
}
