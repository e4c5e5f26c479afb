package dev.paint.cli;

import static dev.paint.cli.TestStack.runCli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.cli.TestStack.CliResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Exit statuses and messages of command lines that fail before any server is contacted. */
class PaintCliTest {

  private static final Map<String, String> OBJECT_STORE = Map.of(
      ConnectionOptions.ENDPOINT_ENV, "http://127.0.0.1:9",
      ConnectionOptions.ACCESS_KEY_ENV, "paint",
      ConnectionOptions.SECRET_KEY_ENV, "do-not-print-me");

  @Test
  void noArgumentsPrintsUsageWithStatus2() {
    CliResult result = runCli(Map.of());

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).contains("Usage: paint-cli COMMAND", "import-dataset", "register-model", "submit-task",
        "status");
  }

  @Test
  void generalHelpExitsWithStatus0() {
    CliResult result = runCli(Map.of(), "--help");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(result.out()).contains("Commands:");
  }

  @Test
  void unknownCommandExitsWithStatus2() {
    CliResult result = runCli(Map.of(), "import");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Unknown command 'import': expected one of import-dataset, register-model,"
        + " submit-task, status");
  }

  @ParameterizedTest
  @ValueSource(strings = {"import-dataset", "register-model", "submit-task", "status"})
  void commandHelpListsOwnAndConnectionOptions(String command) {
    CliResult result = runCli(Map.of(), command, "--help");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(result.out()).startsWith("Usage: paint-cli " + command);
    assertThat(result.out()).contains("--help", "--bootstrap-servers", "--secret-key-file", "--registry-url");
    assertThat(result.out().lines()).allMatch(line -> line.length() <= PaintCli.HELP_WIDTH);
  }

  @Test
  void missingRequiredOptionIsOneLineWithStatus2() {
    CliResult result = runCli(OBJECT_STORE, "import-dataset", "--name", "shapes", "--source", "/tmp");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err().lines()).hasSize(1);
    assertThat(result.err()).startsWith("Missing option --format for command import-dataset: give the source"
        + " layout, one of idx, imagefolder, mnist-json, uci-digits-csv");
    assertThat(result.err()).contains("paint-cli import-dataset --help");
  }

  @Test
  void unknownFormatNamesValue() {
    CliResult result = runCli(OBJECT_STORE, "import-dataset", "--name", "shapes", "--format", "png", "--source",
        "/tmp");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--format: Unknown format 'png': expected one of idx, imagefolder,"
        + " mnist-json, uci-digits-csv");
  }

  @Test
  void idxWithoutClassesIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "import-dataset", "--name", "letters", "--format", "idx", "--source",
        "/tmp");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Missing option --classes for --format idx");
  }

  @Test
  void invalidChannelsNamesValue() {
    CliResult result = runCli(OBJECT_STORE, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", "/tmp", "--channels", "2");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Invalid value '2' for option --channels: expected 1 or 3");
  }

  @Test
  void invalidDatasetNameIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "import-dataset", "--name", "Shapes", "--format", "imagefolder",
        "--source", "/tmp");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--name: Invalid dataset name 'Shapes'");
  }

  @Test
  void malformedHeadNamesValue() {
    CliResult result = runCli(OBJECT_STORE, "register-model", "--model", "m", "--encoder", "pom.xml",
        "--architecture", "pom.xml", "--head", "digits=heads.safetensors");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--head: Invalid head 'digits=heads.safetensors': expected"
        + " TASK=DATASET=FILE");
  }

  @Test
  void missingEncoderFileIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "register-model", "--model", "m", "--encoder", "no-such.safetensors",
        "--architecture", "pom.xml", "--head", "digits=uci-digits=pom.xml");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--encoder: file ").contains("no-such.safetensors not found");
  }

  @Test
  void alphaOutsideUnitIntervalIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "submit-task", "--model", "m", "--task", "t", "--dataset", "d",
        "--alphas", "0,0.5,1.5");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--alphas: Invalid alpha 1.5 in the alpha grid");
  }

  @Test
  void unknownRuleIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "submit-task", "--model", "m", "--task", "t", "--dataset", "d",
        "--rule", "best");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("--rule: Unknown selection rule 'best'");
  }

  @Test
  void timeoutWithoutWaitIsUsageError() {
    CliResult result = runCli(OBJECT_STORE, "submit-task", "--model", "m", "--task", "t", "--dataset", "d",
        "--timeout", "60");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Option --timeout applies only with --wait");
  }

  @Test
  void missingBootstrapServersIsUsageErrorForSubmit() {
    CliResult result = runCli(OBJECT_STORE, "submit-task", "--model", "m", "--task", "t", "--dataset", "d");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Missing --bootstrap-servers for command submit-task");
    assertThat(result.err()).doesNotContain("do-not-print-me");
  }

  @Test
  void generatedTaskIdStartsWithTaskName() {
    String id = SubmitTaskCommand.generateTaskId("digits");

    assertThat(id).matches("digits-[0-9a-f]{8}");
  }
}
