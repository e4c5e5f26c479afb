package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeWarmUpTest {

  @TempDir
  Path directory;

  @Test
  void leavesNoFilesBehind() throws IOException {
    Files.writeString(directory.resolve("kept.txt"), "not the warm-up's");

    MergeWarmUp.run(directory);

    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactly(directory.resolve("kept.txt"));
    }
  }

  @Test
  void failsWhenTheDirectoryIsAFile() throws IOException {
    Path file = Files.writeString(directory.resolve("not-a-directory"), "");

    assertThatThrownBy(() -> MergeWarmUp.run(file))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("not-a-directory");
  }
}
