package dev.paint.cli;

import dev.paint.shared.storage.ObjectStoreSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the broker, the object store and the registry are: options shared by every command, each falling back to the
 * environment variable that the services read too. A command resolves only the connections it uses, so that
 * {@code status} needs no object store credentials.
 */
public final class ConnectionOptions {

  public static final String BOOTSTRAP_SERVERS = "--bootstrap-servers";
  public static final String OBJECT_STORE_ENDPOINT = "--object-store-endpoint";
  public static final String ACCESS_KEY = "--access-key";
  public static final String SECRET_KEY_FILE = "--secret-key-file";
  public static final String BUCKET = "--bucket";
  public static final String REGISTRY_URL = "--registry-url";
  public static final String REGISTRY_TOKEN_FILE = "--registry-token-file";

  public static final String BOOTSTRAP_SERVERS_ENV = "KAFKA_BOOTSTRAP_SERVERS";
  public static final String ENDPOINT_ENV = "PAINT_OBJECT_STORE_ENDPOINT";
  public static final String ACCESS_KEY_ENV = "PAINT_OBJECT_STORE_ACCESS_KEY";
  public static final String SECRET_KEY_ENV = "PAINT_OBJECT_STORE_SECRET_KEY";
  public static final String BUCKET_ENV = "PAINT_OBJECT_STORE_BUCKET";
  public static final String REGISTRY_URL_ENV = "PAINT_REGISTRY_URL";
  public static final String REGISTRY_TOKEN_ENV = "PAINT_REGISTRY_API_TOKEN";

  /** The bucket the services use when PAINT_OBJECT_STORE_BUCKET is not set. */
  public static final String DEFAULT_BUCKET = "paint";

  /** registry-service's default HTTP port on this machine. */
  public static final String DEFAULT_REGISTRY_URL = "http://localhost:8084";

  /** The connection options as every command's help lists them. */
  public static final List<OptionSpec> SPECS = List.of(
      OptionSpec.value(BOOTSTRAP_SERVERS, "HOST:PORT",
          "Kafka bootstrap servers (default: $" + BOOTSTRAP_SERVERS_ENV + ")"),
      OptionSpec.value(OBJECT_STORE_ENDPOINT, "URL", "S3 endpoint of the object store (default: $" + ENDPOINT_ENV + ")"),
      OptionSpec.value(ACCESS_KEY, "KEY", "object store access key (default: $" + ACCESS_KEY_ENV + ")"),
      OptionSpec.value(SECRET_KEY_FILE, "FILE",
          "file that contains the object store secret key (default: the key in $" + SECRET_KEY_ENV + ")"),
      OptionSpec.value(BUCKET, "NAME", "bucket of datasets and checkpoints (default: $" + BUCKET_ENV + ", else "
          + DEFAULT_BUCKET + ")"),
      OptionSpec.value(REGISTRY_URL, "URL", "registry-service base URL (default: $" + REGISTRY_URL_ENV + ", else "
          + DEFAULT_REGISTRY_URL + ")"),
      OptionSpec.value(REGISTRY_TOKEN_FILE, "FILE", "file that contains the registry's API token, which registering a"
          + " model requires (default: the token in $" + REGISTRY_TOKEN_ENV + ")"));

  private final ParsedOptions options;
  private final Map<String, String> environment;

  public ConnectionOptions(ParsedOptions options, Map<String, String> environment) {
    this.options = options;
    this.environment = environment;
  }

  /** Returns the Kafka bootstrap servers; there is no default, because a wrong broker would only time out. */
  public String bootstrapServers() {
    return require(BOOTSTRAP_SERVERS, BOOTSTRAP_SERVERS_ENV, "the Kafka bootstrap servers, such as 127.0.0.1:9092");
  }

  /**
   * Returns the object store settings. The secret key is read from {@value #SECRET_KEY_FILE} when given, else from
   * {@value #SECRET_KEY_ENV}; it is never taken from the command line, where other users of the machine could see it.
   */
  public ObjectStoreSettings objectStore() {
    String endpoint = httpUrl(OBJECT_STORE_ENDPOINT, ENDPOINT_ENV,
        require(OBJECT_STORE_ENDPOINT, ENDPOINT_ENV, "the S3 endpoint URL, such as http://127.0.0.1:9000"));
    String accessKey = require(ACCESS_KEY, ACCESS_KEY_ENV, "the object store access key");
    String bucket = orEnvironment(BUCKET, BUCKET_ENV);
    return new ObjectStoreSettings(
        endpoint, accessKey, secretKey(), bucket == null ? DEFAULT_BUCKET : bucket, null);
  }

  /** Returns the base URL of registry-service. */
  public URI registryUrl() {
    String url = orEnvironment(REGISTRY_URL, REGISTRY_URL_ENV);
    return URI.create(httpUrl(REGISTRY_URL, REGISTRY_URL_ENV, url == null ? DEFAULT_REGISTRY_URL : url));
  }

  /**
   * Returns the registry's API token from {@value #REGISTRY_TOKEN_FILE} when given, else from
   * {@value #REGISTRY_TOKEN_ENV}, or null when neither is set. Like the secret key, it is never taken from the command
   * line.
   */
  public String registryApiToken() {
    String file = options.value(REGISTRY_TOKEN_FILE);
    if (file != null) {
      return readSecretFile(REGISTRY_TOKEN_FILE, Path.of(file), "the registry's API token");
    }
    String token = environment.get(REGISTRY_TOKEN_ENV);
    return token == null || token.isBlank() ? null : token.strip();
  }

  private String secretKey() {
    String file = options.value(SECRET_KEY_FILE);
    if (file != null) {
      return readSecretFile(SECRET_KEY_FILE, Path.of(file), "the object store secret key");
    }
    String key = environment.get(SECRET_KEY_ENV);
    if (key == null || key.isBlank()) {
      throw new UsageException("Missing object store secret key: give " + SECRET_KEY_FILE + " FILE or set "
          + SECRET_KEY_ENV);
    }
    return key;
  }

  /** Reads a secret without its trailing line break, which editors and {@code echo} add. */
  private static String readSecretFile(String option, Path file, String secret) {
    String value;
    try {
      value = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UsageException("Cannot read the file " + file + " given with " + option + " ("
          + e.getClass().getSimpleName() + "): give a readable file that contains " + secret, e);
    }
    if (value.isEmpty()) {
      throw new UsageException("File " + file + " given with " + option + " is empty: write " + secret + " into it");
    }
    return value;
  }

  private String require(String option, String variable, String meaning) {
    String value = orEnvironment(option, variable);
    if (value == null) {
      throw new UsageException("Missing " + option + " for command " + options.command() + ": give " + meaning
          + ", or set " + variable);
    }
    return value;
  }

  private String orEnvironment(String option, String variable) {
    String value = options.value(option);
    if (value == null || value.isBlank()) {
      value = environment.get(variable);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String httpUrl(String option, String variable, String url) {
    try {
      URI uri = new URI(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // Reported below with the option's name.
    }
    throw new UsageException("Invalid URL '" + url + "' in " + option + " or " + variable + ": expected http://HOST:PORT"
        + " or https://HOST:PORT");
  }
}
