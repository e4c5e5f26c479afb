package dev.paint.bench.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs scripts/bench/throughput.sh in smoke mode against the classes and target/lib this build packaged, and checks
 * that the report it writes has a positive rate for paint and for every reference in every row. The figures of a smoke
 * run are not compared with anything: benchmarks are not timed tests.
 */
class ThroughputScriptIT {

  private static final List<String> ROW_KEYS = List.of("train_images_per_second", "eval_images_per_second",
      "data_path_images_per_second", "decode_images_per_second");

  @Test
  void smokeRunReportsPositiveRates() throws Exception {
    Path repo = Path.of(System.getProperty("paint.bench.repo")).toRealPath();
    Path output = repo.resolve("paint-bench/target/throughput-smoke.json");
    Path log = repo.resolve("paint-bench/target/throughput-smoke.log");
    Files.deleteIfExists(output);

    Process process = new ProcessBuilder(repo.resolve("scripts/bench/throughput.sh").toString(), "--smoke",
        "--no-build", "--output", output.toString())
        .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }

    assertThat(finished).as("throughput.sh --smoke finished within 5 minutes; see %s", log).isTrue();
    assertThat(process.exitValue()).as("exit status of throughput.sh --smoke; output:%n%s", Files.readString(log))
        .isZero();
    JsonNode report = new ObjectMapper().readTree(output.toFile());
    assertThat(report.path("mode").asText()).isEqualTo("smoke");
    assertThat(report.path("machine").path("cpu").asText()).isNotBlank();
    assertThat(report.path("machine").path("torch").asText()).isNotBlank();
    assertThat(report.path("drivers").get(1).path("blas").asText()).as("BLAS of the reference").contains("blas");
    List<String> keys = new ArrayList<>();
    for (JsonNode row : report.path("rows")) {
      keys.add(row.path("key").asText());
      assertThat(row.path("paint_images_per_second").asDouble()).as("paint rate of %s", row).isPositive();
      assertThat(row.path("references").size()).as("references of %s", row).isPositive();
      assertThat(row.path("references").get(0).path("name").asText()).isEqualTo("pytorch");
      for (JsonNode reference : row.path("references")) {
        assertThat(reference.path("images_per_second").asDouble()).as("reference rate in %s", row).isPositive();
        assertThat(reference.path("ratio").asDouble()).as("ratio in %s", row).isPositive();
      }
    }
    assertThat(keys).containsExactlyElementsOf(ROW_KEYS);
    assertThat(Files.readString(log)).contains("| fine-tuning, batch 128, AdamW, clipping |");
  }
}
