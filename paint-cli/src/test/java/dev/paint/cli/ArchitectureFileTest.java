package dev.paint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.json.Json;
import dev.paint.shared.model.EncoderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the {@code --architecture} file of register-model. */
class ArchitectureFileTest {

  @TempDir
  Path directory;

  @Test
  void demoSpecReadsBack() throws Exception {
    Path file = Files.writeString(directory.resolve("demo.json"), Json.write(EncoderSpec.DEMO));

    assertThat(RegisterModelCommand.readArchitecture(file)).isEqualTo(EncoderSpec.DEMO);
  }

  @Test
  void missingFieldIsNamed() throws Exception {
    Path file = Files.writeString(directory.resolve("partial.json"),
        "{\"channels\":1,\"imageSize\":28,\"convChannels\":[8],\"hiddenUnits\":[],\"logitScale\":20.0}");

    assertThatThrownBy(() -> RegisterModelCommand.readArchitecture(file))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageStartingWith("Architecture " + file + " lacks field 'embeddingDim'");
  }

  @Test
  void invalidValueCarriesSpecMessage() throws Exception {
    Path file = Files.writeString(directory.resolve("two-channels.json"),
        "{\"channels\":2,\"imageSize\":28,\"convChannels\":[8],\"hiddenUnits\":[],\"embeddingDim\":16,"
            + "\"logitScale\":20.0}");

    assertThatThrownBy(() -> RegisterModelCommand.readArchitecture(file))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("Invalid architecture " + file + ": Invalid encoder channels 2: use 1 (grayscale) or 3 (RGB)");
  }

  @Test
  void malformedJsonNamesFile() throws Exception {
    Path file = Files.writeString(directory.resolve("broken.json"), "{\"channels\": 1,");

    assertThatThrownBy(() -> RegisterModelCommand.readArchitecture(file))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageStartingWith("Cannot read architecture " + file + " as JSON");
  }
}
