package dev.paint.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * An S3-compatible object store on 127.0.0.1: S3Proxy in its own JVM, storing buckets as directories through its
 * filesystem-nio2 provider. It accepts AWS signature V2 and V4 for one access key and secret key.
 *
 * <p>The store's files live in {@link #dataDirectory()}: the buckets under {@code buckets/}, {@code s3proxy.properties}
 * (mode 0600, because it contains the secret key), {@code logback.xml} and the S3Proxy output in {@code s3proxy.log}.
 * {@link #stop()}, {@link #kill()} and {@link #restart()} keep the files and the credentials, so a restart serves the
 * same objects on the same endpoint. {@link #close()} stops the store and deletes the data directory if the store
 * created it, and a shutdown hook does both for a store that is never closed.
 */
public final class LocalObjectStore implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LocalObjectStore.class);

  static final String DEFAULT_ACCESS_KEY = "paint";
  static final String DEFAULT_HEAP = "256m";
  static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private static final String S3PROXY_MAIN_CLASS = "org.gaul.s3proxy.Main";
  private static final String S3PROXY_JAR_PREFIX = "s3proxy-";
  private static final int HTTP_PROBE_TIMEOUT_MILLIS = 1000;

  private final Path libDirectory;
  private final Path dataDirectory;
  private final boolean ownsDataDirectory;
  private final int port;
  private final String heap;
  private final String accessKey;
  private final String secretKey;
  private final Duration startupTimeout;

  private Process process;
  private boolean closed;

  private LocalObjectStore(Builder builder, Path libDirectory, Path dataDirectory, boolean ownsDataDirectory) {
    this.libDirectory = libDirectory;
    this.dataDirectory = dataDirectory;
    this.ownsDataDirectory = ownsDataDirectory;
    this.port = builder.port == 0 ? LoopbackPorts.freePort() : builder.port;
    this.heap = builder.heap;
    this.accessKey = builder.accessKey;
    this.secretKey = builder.secretKey != null ? builder.secretKey : randomSecretKey();
    this.startupTimeout = builder.startupTimeout;
  }

  /**
   * Returns a builder with the defaults: a new temporary data directory, a free port, access key "paint", a random
   * secret key and a 256m heap.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Starts an object store with the defaults of {@link #builder()}. */
  public static LocalObjectStore start() {
    return builder().start();
  }

  /** Returns the S3 endpoint URL, such as {@code http://127.0.0.1:41234}. */
  public String endpoint() {
    return "http://" + LoopbackPorts.HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return accessKey;
  }

  /** Returns the secret key, which callers must not log. */
  public String secretKey() {
    return secretKey;
  }

  public Path dataDirectory() {
    return dataDirectory;
  }

  /** Returns the directory that contains one subdirectory per bucket. */
  public Path bucketsDirectory() {
    return dataDirectory.resolve("buckets");
  }

  /** Returns the file that receives S3Proxy's stdout and stderr across all starts. */
  public Path logFile() {
    return dataDirectory.resolve("s3proxy.log");
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Returns the process id of the S3Proxy JVM. */
  public synchronized long pid() {
    if (!isRunning()) {
      throw new IllegalStateException("Object store at " + endpoint() + " is not running, so it has no pid");
    }
    return process.pid();
  }

  /** Stops S3Proxy with SIGTERM. Does nothing when it is stopped. */
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }

    ChildJvm.stop(process, ChildJvm.STOP_GRACE_PERIOD);
    LOG.infof("Object store at %s stopped", endpoint());
  }

  /** Kills S3Proxy with SIGKILL, as a crash would. */
  public synchronized void kill() {
    if (!isRunning()) {
      return;
    }

    ChildJvm.kill(process);
    LOG.infof("Object store at %s killed", endpoint());
  }

  /** Stops S3Proxy if it runs, then starts it again on the same endpoint, data directory and credentials. */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException(
          "Object store at " + endpoint() + " is closed, so it cannot restart. Build a new store.");
    }

    stop();

    launch();
  }

  /** Stops S3Proxy and deletes the data directory if the store created it. */
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
      LOG.warnf("Failed to delete all of the object store data directory %s, so delete it by hand", dataDirectory);
    }
  }

  private void launch() {
    Path propertiesFile = dataDirectory.resolve("s3proxy.properties");
    ConfigFiles.writeProperties(propertiesFile, s3ProxyProperties(), true);
    ConfigFiles.writeLogbackConfig(dataDirectory.resolve("logback.xml"), Map.of());

    long startNanos = System.nanoTime();
    process =
        ChildJvm.start(
            libDirectory,
            S3PROXY_MAIN_CLASS,
            jvmOptions(),
            List.of("--properties", propertiesFile.toString()),
            logFile());
    ChildJvm.awaitReady(process, this::respondsToHttp, startupTimeout, "Object store at " + endpoint(), logFile());

    LOG.infof(
        "Object store started at %s in %d ms (pid %d, heap %s, data %s)",
        endpoint(),
        Duration.ofNanos(System.nanoTime() - startNanos).toMillis(),
        process.pid(),
        heap,
        dataDirectory);
  }

  private Map<String, String> s3ProxyProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("s3proxy.endpoint", endpoint());
    properties.put("s3proxy.authorization", "aws-v2-or-v4");
    properties.put("s3proxy.identity", accessKey);
    properties.put("s3proxy.credential", secretKey);
    // The older "filesystem" provider, deprecated in S3Proxy 2.6.0, returns directory entries such as "runs/a/" as
    // objects in recursive listings. filesystem-nio2 returns only objects, as S3 does.
    properties.put("jclouds.provider", "filesystem-nio2");
    // S3Proxy requires backend credentials for this provider, though a local directory never checks them.
    properties.put("jclouds.identity", "local");
    properties.put("jclouds.credential", "local");
    properties.put("jclouds.filesystem.basedir", bucketsDirectory().toString());
    return properties;
  }

  private List<String> jvmOptions() {
    return ChildJvm.jvmOptions(heap, dataDirectory.resolve("logback.xml"));
  }

  /** Returns whether the endpoint sends any HTTP response. An anonymous request gets 403 once S3Proxy runs. */
  private boolean respondsToHttp() {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
      connection.setConnectTimeout(HTTP_PROBE_TIMEOUT_MILLIS);
      connection.setReadTimeout(HTTP_PROBE_TIMEOUT_MILLIS);
      try {
        return connection.getResponseCode() > 0;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  /** Returns 30 random bytes as URL-safe base64: 40 characters, the length of an AWS secret access key. */
  private static String randomSecretKey() {
    byte[] bytes = new byte[30];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Settings of a {@link LocalObjectStore}; {@link #start()} builds and starts it. */
  public static final class Builder {

    private Path dataDirectory;
    private int port;
    private String heap = DEFAULT_HEAP;
    private String accessKey = DEFAULT_ACCESS_KEY;
    private String secretKey;
    private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;

    private Builder() {}

    /**
     * Sets the directory for the buckets and S3Proxy's files. Default: a new temporary directory, deleted by close or
     * when the JVM exits.
     */
    public Builder dataDirectory(Path dataDirectory) {
      this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
      return this;
    }

    /** Sets the HTTP port on 127.0.0.1. Default: 0, a free port. */
    public Builder port(int port) {
      this.port = LoopbackPorts.requireValidPort(port, "Object store port");
      return this;
    }

    /** Sets the maximum heap of the S3Proxy JVM in -Xmx syntax, such as "256m" (the default). */
    public Builder heap(String heap) {
      this.heap = ChildJvm.requireHeapSize(heap, "object store heap size");
      return this;
    }

    /** Sets the access key that clients sign with. Default: "paint". */
    public Builder accessKey(String accessKey) {
      this.accessKey = requireCredential(accessKey, "access key");
      return this;
    }

    /** Sets the secret key that clients sign with. Default: 40 random characters, new for each store. */
    public Builder secretKey(String secretKey) {
      this.secretKey = requireCredential(secretKey, "secret key");
      return this;
    }

    /** Sets how long {@link #start()} waits for S3Proxy. Default: 60 s. */
    public Builder startupTimeout(Duration startupTimeout) {
      if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
        throw new IllegalArgumentException("Object store startup timeout must be positive, but is " + startupTimeout);
      }
      this.startupTimeout = startupTimeout;
      return this;
    }

    /**
     * Starts S3Proxy and returns once its endpoint responds to HTTP requests.
     *
     * @throws IllegalStateException when the runtime jars are missing or S3Proxy fails to start in time. The message
     *     contains the last lines of its log.
     */
    public LocalObjectStore start() {
      Path libDirectory = LocalStackRuntime.libDirectory();
      LocalStackRuntime.requireJar(libDirectory, S3PROXY_JAR_PREFIX);

      boolean ownsDataDirectory = dataDirectory == null;
      Path directory = ownsDataDirectory ? createTempDirectory() : dataDirectory.toAbsolutePath();
      createDirectories(directory.resolve("buckets"));

      LocalObjectStore store = new LocalObjectStore(this, libDirectory, directory, ownsDataDirectory);
      store.launch();
      return store;
    }

    private static String requireCredential(String value, String name) {
      if (value == null || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("Object store " + name + " must be non-empty and contain no whitespace");
      }
      return value;
    }

    private static Path createTempDirectory() {
      try {
        Path directory = Files.createTempDirectory("paint-s3-");
        ChildProcessReaper.deleteAtExit(directory);
        return directory;
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to create a temporary data directory for the object store", e);
      }
    }

    private static void createDirectories(Path directory) {
      try {
        Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException("Failed to create the object store directory " + directory, e);
      }
    }
  }
}
