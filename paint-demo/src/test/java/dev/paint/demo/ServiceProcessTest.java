package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceProcessTest {

  @Test
  void exitedServiceFailsWithLogTail(@TempDir Path directory) {
    Path missingJar = directory.resolve("missing").resolve("quarkus-run.jar");
    Path logFile = directory.resolve("trainer-service.log");

    try (ServiceProcess process = ServiceProcess.start(PaintService.TRAINER, missingJar, 1, Map.of(), logFile)) {
      assertThatThrownBy(() -> process.awaitReady(HttpClient.newHttpClient(), Duration.ofSeconds(60)))
          .isInstanceOf(DemoFailedException.class)
          .hasMessageContaining("trainer-service exited with status 1 before it was ready")
          .hasMessageContaining("last lines of " + logFile)
          .hasMessageContaining("Unable to access jarfile " + missingJar);
    }
  }
}
