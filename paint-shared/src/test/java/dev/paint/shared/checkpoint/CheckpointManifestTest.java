package dev.paint.shared.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {

  @TempDir Path directory;
  private Path file;

  @BeforeEach
  void writeCheckpoint() {
    file = directory.resolve("model.safetensors");
    SafetensorsWriter.write(file, List.of(
        Tensor.ofFloats("encoder.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
        Tensor.ofFloats("encoder.bias", DType.BF16, new long[] {3}, new float[] {1, 2, 3}),
        Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {9})), Map.of("paint.model", "vit"));
  }

  @Test
  void describeHashesFileAndListsTensorsInOrder() throws IOException, NoSuchAlgorithmException {
    byte[] bytes = Files.readAllBytes(file);

    CheckpointManifest manifest = CheckpointManifest.describe(file);

    assertThat(manifest.formatVersion()).isEqualTo(CheckpointManifest.FORMAT_VERSION);
    assertThat(manifest.sha256())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    assertThat(manifest.sizeBytes()).isEqualTo(bytes.length);
    assertThat(manifest.tensors().keySet())
        .containsExactly("encoder.weight", "encoder.bias", "bn.num_batches_tracked");
    assertThat(manifest.tensors().get("encoder.bias"))
        .isEqualTo(new CheckpointManifest.TensorEntry("BF16", new long[] {3}));
    assertThat(manifest.metadata()).containsExactly(Map.entry("paint.model", "vit"));
  }

  @Test
  void verifyPassesOnDescribedFile() {
    CheckpointManifest manifest = CheckpointManifest.describe(file);

    manifest.verify(file);

    assertThat(CheckpointManifest.describe(file)).isEqualTo(manifest);
  }

  @Test
  void verifyFailsAfterFlippingOneByte() throws IOException {
    CheckpointManifest manifest = CheckpointManifest.describe(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 3] ^= 0x01;
    Files.write(file, bytes);
    String flippedSha256 = CheckpointManifest.sha256Of(file);

    assertThatThrownBy(() -> manifest.verify(file))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("SHA-256 is " + flippedSha256)
        .hasMessageContaining("expects " + manifest.sha256());
  }

  @Test
  void verifyFailsOnTruncatedFile() throws IOException {
    CheckpointManifest manifest = CheckpointManifest.describe(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));

    assertThatThrownBy(() -> manifest.verify(file))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("it has " + (bytes.length - 1) + " bytes")
        .hasMessageContaining("expects " + bytes.length + " bytes");
  }

  @Test
  void verifyNamesDifferingTensor() {
    CheckpointManifest described = CheckpointManifest.describe(file);
    Map<String, CheckpointManifest.TensorEntry> tensors = new LinkedHashMap<>(described.tensors());
    tensors.put("encoder.bias", new CheckpointManifest.TensorEntry("BF16", new long[] {4}));
    CheckpointManifest wrong = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, described.sha256(),
        described.sizeBytes(), tensors, described.metadata());

    assertThatThrownBy(() -> wrong.verify(file))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("tensor 'encoder.bias' is BF16 [3] but the manifest expects BF16 [4]");
  }

  @Test
  void verifyNamesMissingTensor() {
    CheckpointManifest described = CheckpointManifest.describe(file);
    Map<String, CheckpointManifest.TensorEntry> tensors = new LinkedHashMap<>(described.tensors());
    tensors.put("head.weight", new CheckpointManifest.TensorEntry("F32", new long[] {10, 3}));
    CheckpointManifest wrong = new CheckpointManifest(CheckpointManifest.FORMAT_VERSION, described.sha256(),
        described.sizeBytes(), tensors, described.metadata());

    assertThatThrownBy(() -> wrong.verify(file))
        .isInstanceOf(CheckpointIntegrityException.class)
        .hasMessageContaining("lacks tensor 'head.weight' (F32 [10, 3])");
  }

  @Test
  void jsonRoundTripPreservesManifest() {
    CheckpointManifest manifest = CheckpointManifest.describe(file);

    String json = manifest.toJson();
    CheckpointManifest parsed = CheckpointManifest.fromJson(json);

    assertThat(parsed).isEqualTo(manifest);
    assertThat(parsed.tensors().keySet()).containsExactlyElementsOf(manifest.tensors().keySet());
    assertThat(parsed.tensors().get("encoder.weight").shape()).containsExactly(2, 3);
    assertThat(parsed.tensors().get("bn.num_batches_tracked").shape()).isEmpty();
    assertThat(json).contains("\"shape\":[2,3]");
  }

  @Test
  void fromJsonRejectsOtherFormatVersion() {
    String json = CheckpointManifest.describe(file).toJson().replace("\"formatVersion\":1", "\"formatVersion\":2");

    assertThatThrownBy(() -> CheckpointManifest.fromJson(json))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("format version 2 is not supported");
  }

  @Test
  void fromJsonRejectsMalformedDigest() {
    String json = CheckpointManifest.describe(file).toJson().replaceFirst("\"sha256\":\"[0-9a-f]+\"",
        "\"sha256\":\"abc\"");

    assertThatThrownBy(() -> CheckpointManifest.fromJson(json))
        .isInstanceOf(CheckpointFormatException.class)
        .hasMessageContaining("sha256 'abc' is not 64 lowercase hexadecimal digits");
  }
}
