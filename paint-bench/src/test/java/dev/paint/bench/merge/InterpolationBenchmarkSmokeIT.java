package dev.paint.bench.merge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code scripts/bench/interpolation.sh --smoke} against the packaged module and checks its report: a figure
 * for every contender in every configuration and a passed correctness check. It asserts no speed, because a
 * benchmark is not a timed test.
 */
class InterpolationBenchmarkSmokeIT {

  private static final String[] CONTENDERS = {"copy", "paint", "numpy", "torch"};
  private static final long TIMEOUT_MINUTES = 10;

  @TempDir Path out;

  @Test
  void smokeRunReportsEveryContender() throws IOException, InterruptedException {
    Path repository = Path.of(System.getProperty("paint.bench.repo", "..")).toAbsolutePath().normalize();
    Path log = out.resolve("interpolation.log");
    Process process = new ProcessBuilder("bash", "scripts/bench/interpolation.sh", "--smoke", "--no-build", "--out",
        out.toString())
        .directory(repository.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();

    boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("smoke run finished within %d minutes; log:%n%s", TIMEOUT_MINUTES, read(log)).isTrue();
    assertThat(process.exitValue()).as("exit code; log:%n%s", read(log)).isZero();
    JsonNode report = JsonMapper.builder().build().readTree(out.resolve("interpolation.json").toFile());
    assertThat(report.path("mode").asText()).isEqualTo("smoke");
    assertThat(report.path("machine").path("cpu_cores").asInt()).isPositive();
    assertThat(report.path("all_checks_passed").asBoolean()).as("correctness check").isTrue();
    assertThat(report.path("configurations")).hasSize(3);
    for (JsonNode configuration : report.path("configurations")) {
      String name = configuration.path("dtype").asText() + " " + configuration.path("layout").asText();
      assertThat(configuration.path("check").path("passed").asBoolean()).as("check of %s", name).isTrue();
      assertThat(configuration.path("check").path("integer_tensors_match_base").asBoolean())
          .as("position ids of %s", name).isTrue();
      for (String contender : CONTENDERS) {
        JsonNode figures = configuration.path("contenders").path(contender);
        assertThat(figures.path("gb_per_second").asDouble()).as("%s throughput, %s", contender, name).isPositive();
        assertThat(figures.path("bytes").asLong()).as("%s bytes, %s", contender, name).isPositive();
        assertThat(figures.path("peak_rss_mib").asDouble()).as("%s peak RSS, %s", contender, name).isPositive();
      }
    }
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "(no log)";
  }
}
