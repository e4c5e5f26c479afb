package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of {@link SafetensorsFile#open}, the parser of untrusted checkpoint files.
 *
 * <p>Every input must either be rejected with a {@link CheckpointFormatException} that names the file, or open as a
 * checkpoint whose every tensor is readable and survives a write and a second read unchanged. Any other exception,
 * an error such as {@code OutOfMemoryError}, or a hang is a finding. The build runs this test in Jazzer's fuzzing
 * mode for {@code fuzz.duration} (30 s by default), starting from the stored inputs under
 * {@code SafetensorsFileFuzzTestInputs/openRejectsOrRoundTrips}: valid seeds and earlier findings. Jazzer writes new
 * findings to {@code paint-shared/target/fuzz}; copy them there to keep them as regression inputs.
 */
class SafetensorsFileFuzzTest {

  /** Bounds the header size an input may declare, so that no input makes the parser allocate much. */
  private static final long MAX_HEADER_BYTES = 64 * 1024;

  private static Path directory;

  @BeforeAll
  static void createDirectory() throws IOException {
    directory = Files.createTempDirectory("paint-safetensors-fuzz-");
  }

  @AfterAll
  static void deleteDirectory() throws IOException {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
  }

  @FuzzTest(maxDuration = "30s")
  void openRejectsOrRoundTrips(byte[] input) {
    Path file = write(directory.resolve("input.safetensors"), input);

    SafetensorsFile checkpoint;
    try {
      checkpoint = SafetensorsFile.open(file, MAX_HEADER_BYTES);
    } catch (CheckpointFormatException e) {
      assertThat(e.getMessage()).contains(file.toString());
      return;
    }

    try (checkpoint) {
      List<Tensor> tensors = readAll(checkpoint);
      requireFiniteRejectsOnlyWithFormatError(checkpoint);

      Path copy = directory.resolve("copy.safetensors");
      SafetensorsWriter.write(copy, tensors, checkpoint.metadata());
      try (SafetensorsFile reread = SafetensorsFile.open(copy, MAX_HEADER_BYTES)) {
        assertThat(reread.metadata()).isEqualTo(checkpoint.metadata());
        assertThat(reread.tensors()).hasSameSizeAs(tensors);
        for (Tensor tensor : tensors) {
          assertThat(reread.spec(tensor.spec().name())).isEqualTo(tensor.spec());
          assertThat(reread.data(tensor.spec().name())).isEqualTo(tensor.data());
        }
      }
    }
  }

  private static List<Tensor> readAll(SafetensorsFile checkpoint) {
    List<Tensor> tensors = new ArrayList<>();
    for (TensorSpec spec : checkpoint.tensors()) {
      Tensor tensor = checkpoint.read(spec.name());
      assertThat((long) tensor.data().remaining()).isEqualTo(spec.byteSize());
      tensors.add(tensor);
    }
    return tensors;
  }

  /** NaN and infinity are valid safetensors content; the finiteness check reports them as a format error only. */
  private static void requireFiniteRejectsOnlyWithFormatError(SafetensorsFile checkpoint) {
    try {
      checkpoint.requireFinite();
    } catch (CheckpointFormatException e) {
      assertThat(e.getMessage()).contains("tensor '");
    }
  }

  private static Path write(Path file, byte[] content) {
    try {
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
