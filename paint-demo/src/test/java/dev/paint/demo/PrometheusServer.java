package dev.paint.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
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
 * A real Prometheus server (Debian's {@code prometheus} package, {@value #BINARY}) on a free loopback port, scraping
 * the demo's four services every second with the alert rules of deploy/prometheus. Its data and log stay in the
 * directory given to {@link #start}.
 */
final class PrometheusServer implements AutoCloseable {

  static final String BINARY = "/usr/bin/prometheus";

  private static final String LOOPBACK = "127.0.0.1";

  private final Process process;
  private final URI baseUri;
  private final Path logFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, URI baseUri, Path logFile) {
    this.process = process;
    this.baseUri = baseUri;
    this.logFile = logFile;
  }

  /**
   * Writes a configuration that scrapes {@code services} with job names equal to their module names, then starts
   * Prometheus.
   *
   * @param rules the alert rules file to load, such as deploy/prometheus/alerts.yml
   * @throws AssertionError when {@value #BINARY} is missing; install Debian's prometheus package
   */
  static PrometheusServer start(Map<PaintService, URI> services, Path rules, Path directory) throws IOException {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new AssertionError(BINARY + " is missing: install Debian's prometheus package (apt-get install"
          + " prometheus), which the CI script does");
    }
    Files.createDirectories(directory);
    Path config = directory.resolve("prometheus.yml");
    Files.writeString(config, configuration(services, rules));

    int port = freePort();
    Path logFile = directory.resolve("prometheus.log");
    Process process = new ProcessBuilder(BINARY,
        "--config.file=" + config,
        "--storage.tsdb.path=" + directory.resolve("data"),
        "--web.listen-address=" + LOOPBACK + ":" + port)
        .redirectErrorStream(true)
        .redirectOutput(logFile.toFile())
        .start();
    return new PrometheusServer(process, URI.create("http://" + LOOPBACK + ":" + port), logFile);
  }

  /** Returns the result vector of an instant query, or an empty list while Prometheus does not respond yet. */
  List<JsonNode> query(String promql) {
    JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    List<JsonNode> result = new ArrayList<>();
    if (body != null) {
      body.path("data").path("result").forEach(result::add);
    }
    return result;
  }

  /** Returns the names of every loaded alerting rule, or an empty list while Prometheus does not respond yet. */
  List<String> alertNames() {
    JsonNode body = get("/api/v1/rules?type=alert");
    List<String> names = new ArrayList<>();
    if (body != null) {
      body.path("data").path("groups").forEach(group -> group.path("rules")
          .forEach(rule -> names.add(rule.path("name").asText())));
    }
    return names;
  }

  Path logFile() {
    return logFile;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private JsonNode get(String pathAndQuery) {
    HttpRequest request = HttpRequest.newBuilder(baseUri.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).GET()
        .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
    } catch (IOException e) {
      // Not listening yet; the caller polls again.
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while querying Prometheus at " + baseUri, e);
    }
  }

  /** Returns prometheus.yml with a 1 s scrape and rule interval, so the test does not wait for the 15 s default. */
  private static String configuration(Map<PaintService, URI> services, Path rules) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n");
    yaml.append("rule_files:\n  - \"").append(rules.toAbsolutePath()).append("\"\n");
    yaml.append("scrape_configs:\n");
    services.forEach((service, uri) -> yaml
        .append("  - job_name: ").append(service.module()).append('\n')
        .append("    metrics_path: /q/metrics\n")
        .append("    static_configs:\n")
        .append("      - targets: [\"").append(uri.getHost()).append(':').append(uri.getPort()).append("\"]\n"));
    return yaml.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }
}
