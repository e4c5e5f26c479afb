package dev.paint.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts a Kafka broker and an S3-compatible object store for development, prints how to reach them and runs until
 * interrupted (Ctrl-C), when a shutdown hook stops both. The output lines can be exported as environment variables:
 *
 * <pre>
 * KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:41234
 * S3_ENDPOINT=http://127.0.0.1:41235
 * S3_ACCESS_KEY=paint
 * S3_SECRET_KEY_FILE=/tmp/paint-s3-123/s3-secret-key
 * </pre>
 *
 * <p>The secret key is written to a file that only the owner can read, and never printed. Run it after {@code mvn -q
 * install -DskipTests} from the repository root, with this module's classes and the jboss-logging jar from the local
 * Maven repository on the classpath:
 *
 * <pre>
 * java -cp "paint-local/target/classes:$JBOSS_LOGGING_JAR" dev.paint.local.LocalStackMain \
 *     [--data-dir DIR] [--kafka-port PORT] [--s3-port PORT]
 * </pre>
 */
public final class LocalStackMain {

  static final String USAGE =
      String.join(
          "\n",
          "Usage: LocalStackMain [--data-dir DIR] [--kafka-port PORT] [--s3-port PORT]",
          "  --data-dir DIR     keep broker and object store data in DIR across runs"
              + " (default: temporary directories, deleted on exit)",
          "  --kafka-port PORT  Kafka client port on 127.0.0.1 (default: a free port)",
          "  --s3-port PORT     S3 endpoint port on 127.0.0.1 (default: a free port)");

  static final String SECRET_KEY_FILE_NAME = "s3-secret-key";

  private LocalStackMain() {}

  public static void main(String[] args) throws InterruptedException {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(USAGE);
      return;
    }

    Running stack = start(options);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "paint-local-stack-shutdown"));
    stack.environment().forEach((name, value) -> System.out.println(name + "=" + value));
    System.out.flush();

    // Nothing counts this latch down: the main thread waits until the JVM shuts down.
    new CountDownLatch(1).await();
  }

  /** Starts the broker and the object store and writes the secret key file. */
  static Running start(Options options) {
    LocalKafkaBroker.Builder brokerBuilder = LocalKafkaBroker.builder().port(options.kafkaPort());
    LocalObjectStore.Builder storeBuilder = LocalObjectStore.builder().port(options.s3Port());
    if (options.dataDirectory() != null) {
      brokerBuilder.dataDirectory(options.dataDirectory().resolve("kafka"));
      storeBuilder.dataDirectory(options.dataDirectory().resolve("object-store"));
    }

    LocalKafkaBroker broker = brokerBuilder.start();
    LocalObjectStore store;
    try {
      store = storeBuilder.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }

    Path secretDirectory = options.dataDirectory() != null ? options.dataDirectory() : store.dataDirectory();
    Path secretKeyFile = secretDirectory.resolve(SECRET_KEY_FILE_NAME);
    ConfigFiles.write(secretKeyFile, store.secretKey(), true);
    return new Running(broker, store, secretKeyFile);
  }

  /** A started broker and object store, both stopped by close. */
  static final class Running implements AutoCloseable {

    private final LocalKafkaBroker broker;
    private final LocalObjectStore store;
    private final Path secretKeyFile;

    Running(LocalKafkaBroker broker, LocalObjectStore store, Path secretKeyFile) {
      this.broker = broker;
      this.store = store;
      this.secretKeyFile = secretKeyFile;
    }

    /** Returns the variables to print, in order. The secret key appears only as the path of its file. */
    Map<String, String> environment() {
      Map<String, String> environment = new LinkedHashMap<>();
      environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
      environment.put("S3_ENDPOINT", store.endpoint());
      environment.put("S3_ACCESS_KEY", store.accessKey());
      environment.put("S3_SECRET_KEY_FILE", secretKeyFile.toString());
      return environment;
    }

    @Override
    public void close() {
      try {
        store.close();
      } finally {
        broker.close();
      }
    }
  }

  /** Command line options. A port of 0 means a free port, and a null data directory means temporary directories. */
  record Options(Path dataDirectory, int kafkaPort, int s3Port, boolean help) {

    static Options parse(String[] args) {
      Path dataDirectory = null;
      int kafkaPort = 0;
      int s3Port = 0;
      for (int i = 0; i < args.length; i++) {
        String option = args[i];
        if (option.equals("--help") || option.equals("-h")) {
          return new Options(null, 0, 0, true);
        }
        switch (option) {
          case "--data-dir" -> dataDirectory = Path.of(valueOf(args, ++i, option)).toAbsolutePath();
          case "--kafka-port" -> kafkaPort = parsePort(option, valueOf(args, ++i, option));
          case "--s3-port" -> s3Port = parsePort(option, valueOf(args, ++i, option));
          default -> throw new IllegalArgumentException("Unknown option " + option);
        }
      }
      return new Options(dataDirectory, kafkaPort, s3Port, false);
    }

    private static String valueOf(String[] args, int index, String option) {
      if (index >= args.length) {
        throw new IllegalArgumentException("Missing value for option " + option);
      }
      return args[index];
    }

    private static int parsePort(String option, String value) {
      try {
        return LoopbackPorts.requireValidPort(Integer.parseInt(value), option);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid port for " + option + ": '" + value + "' is not a number", e);
      }
    }
  }
}
