package dev.paint.cli;

import dev.paint.local.LocalKafkaBroker;
import dev.paint.local.LocalObjectStore;
import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.ObjectStoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One real object store and one real Kafka broker on 127.0.0.1, shared by every test class of the fork and started on
 * first use, because each start costs seconds. Tests stay apart by a unique bucket, model name and task id each.
 * paint-local's shutdown hook stops both child JVMs when the fork ends.
 */
final class TestStack {

  private static LocalObjectStore objectStore;
  private static LocalKafkaBroker broker;

  private TestStack() {}

  static synchronized LocalObjectStore objectStore() {
    if (objectStore == null) {
      objectStore = LocalObjectStore.start();
    }
    return objectStore;
  }

  static synchronized LocalKafkaBroker broker() {
    if (broker == null) {
      broker = LocalKafkaBroker.start();
    }
    return broker;
  }

  /** Returns a bucket name no other test uses. */
  static String uniqueBucket() {
    return "cli-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /** Returns the environment a user would export for the object store and {@code bucket}, secret key included. */
  static Map<String, String> objectStoreEnvironment(String bucket) {
    Map<String, String> environment = new HashMap<>();
    environment.put(ConnectionOptions.ENDPOINT_ENV, objectStore().endpoint());
    environment.put(ConnectionOptions.ACCESS_KEY_ENV, objectStore().accessKey());
    environment.put(ConnectionOptions.SECRET_KEY_ENV, objectStore().secretKey());
    environment.put(ConnectionOptions.BUCKET_ENV, bucket);
    return environment;
  }

  /** Connects to {@code bucket} of the shared object store and creates the bucket. */
  static ObjectStore connect(String bucket) {
    LocalObjectStore store = objectStore();
    ObjectStore client = ObjectStore.connect(
        new ObjectStoreSettings(store.endpoint(), store.accessKey(), store.secretKey(), bucket, null));
    client.ensureBucket();
    return client;
  }

  /** A command line run through {@link PaintCli#run} with its exit status and both output streams. */
  record CliResult(int status, String out, String err) {}

  static CliResult runCli(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = PaintCli.run(args, environment,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliResult(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
