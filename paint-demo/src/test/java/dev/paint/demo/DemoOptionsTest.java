package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOptionsTest {

  @TempDir Path repo;

  @BeforeEach
  void createRepositoryRoot() throws Exception {
    Files.writeString(repo.resolve("pom.xml"), "<project/>");
    Files.createDirectories(repo.resolve("paint-demo"));
  }

  @Test
  void defaultsRunBothRules() {
    DemoSettings settings = parse("--repo", repo.toString());

    assertThat(settings.rules()).containsExactly(SelectionRule.MEAN_ACCURACY, SelectionRule.CONSTRAINED);
    assertThat(settings.modelName(SelectionRule.MEAN_ACCURACY)).isEqualTo("paint-demo");
    assertThat(settings.modelName(SelectionRule.CONSTRAINED)).isEqualTo("paint-demo-constrained");
    assertThat(settings.selection(SelectionRule.CONSTRAINED)).isEqualTo(new Selection(SelectionRule.CONSTRAINED, 1.0,
        null));
    assertThat(settings.selection(SelectionRule.MEAN_ACCURACY))
        .isEqualTo(new Selection(SelectionRule.MEAN_ACCURACY, null, null));
    assertThat(settings.patchTasks()).extracting(PatchTaskSpec::task).containsExactly("mnist", "uci-digits");
    assertThat(settings.pretraining().epochs()).isEqualTo(3);
  }

  @Test
  void searchOptionReachesEverySelection() {
    DemoSettings settings = parse("--repo", repo.toString(), "--search", "coarse-to-fine");

    assertThat(settings.selection(SelectionRule.MEAN_ACCURACY).search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
    assertThat(settings.selection(SelectionRule.CONSTRAINED).search()).isEqualTo(AlphaSearch.COARSE_TO_FINE);
  }

  @Test
  void baseLayoutOptionShardsBase() {
    assertThat(parse("--repo", repo.toString()).shardedBase()).isFalse();
    assertThat(parse("--repo", repo.toString(), "--base-layout", "sharded").shardedBase()).isTrue();
    assertThat(parse("--repo", repo.toString(), "--base-layout", "single").shardedBase()).isFalse();
  }

  @Test
  void unknownBaseLayoutIsRejected() {
    assertThatThrownBy(() -> parse("--repo", repo.toString(), "--base-layout", "split"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--base-layout")
        .hasMessageContaining("split");
  }

  @Test
  void unknownSearchIsRejected() {
    assertThatThrownBy(() -> parse("--repo", repo.toString(), "--search", "binary"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--search")
        .hasMessageContaining("binary");
  }

  @Test
  void defaultPathsLieUnderRepository() {
    DemoSettings settings = parse("--repo", repo.toString());

    Path root = repo.toAbsolutePath().normalize();
    assertThat(settings.workDirectory()).isEqualTo(root.resolve(".paint/demo"));
    assertThat(settings.dataDirectory()).isEqualTo(root.resolve(".paint/data"));
    assertThat(settings.reportFile()).isEqualTo(root.resolve(".paint/demo/demo-report.json"));
  }

  @Test
  void dataDirectoryComesFromEnvironment() {
    DemoSettings settings = DemoOptions.parse(new String[] {"--repo", repo.toString()},
        Map.of(DemoSettings.DATA_DIR_ENV, "/srv/paint-data")).orElseThrow();

    assertThat(settings.dataDirectory()).isEqualTo(Path.of("/srv/paint-data"));
  }

  @Test
  void reportFollowsWorkDirectory() {
    DemoSettings settings = parse("--repo", repo.toString(), "--work-dir", "/tmp/paint-work");

    assertThat(settings.reportFile()).isEqualTo(Path.of("/tmp/paint-work/demo-report.json"));
  }

  @Test
  void optionsOverrideDefaults() {
    DemoSettings settings = parse("--repo", repo.toString(), "--rules", "constrained", "--tolerance", "2.5",
        "--pretrain-epochs", "1", "--max-images", "2000", "--task-timeout", "5", "--ready-timeout", "90",
        "--report", "/tmp/report.json");

    assertThat(settings.rules()).containsExactly(SelectionRule.CONSTRAINED);
    assertThat(settings.selection(SelectionRule.CONSTRAINED).tolerancePoints()).isEqualTo(2.5);
    assertThat(settings.pretraining().epochs()).isEqualTo(1);
    assertThat(settings.pretraining().learningRate()).isEqualTo(1e-3);
    assertThat(settings.baseSourceImages()).isEqualTo(2000);
    assertThat(settings.patchSourceImages()).isEqualTo(2000);
    assertThat(settings.taskTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.serviceReadyTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.reportFile()).isEqualTo(Path.of("/tmp/report.json"));
  }

  @Test
  void helpReturnsNoSettings() {
    assertThat(DemoOptions.parse(new String[] {"--help"}, Map.of())).isEmpty();
  }

  @Test
  void unknownRuleIsRejected() {
    assertThatThrownBy(() -> parse("--repo", repo.toString(), "--rules", "mean-accuracy,best"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid --rules value 'mean-accuracy,best'")
        .hasMessageContaining("Unknown selection rule 'best'");
  }

  @Test
  void unknownOptionIsRejected() {
    assertThatThrownBy(() -> parse("--fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown option --fast");
  }

  @Test
  void nonPositiveNumberIsRejected() {
    assertThatThrownBy(() -> parse("--repo", repo.toString(), "--max-images", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --max-images value '0': expected a positive integer");
  }

  @Test
  void directoryWithoutPomIsNotRepository(@TempDir Path other) {
    assertThatThrownBy(() -> parse("--repo", other.toString()))
        .isInstanceOf(DemoFailedException.class)
        .hasMessageContaining("is not the paint repository root");
  }

  private static DemoSettings parse(String... args) {
    return DemoOptions.parse(args, Map.of()).orElseThrow();
  }
}
