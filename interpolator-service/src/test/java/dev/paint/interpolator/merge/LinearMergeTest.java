package dev.paint.interpolator.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Float16;
import dev.paint.shared.checkpoint.SafetensorsFile;
import dev.paint.shared.checkpoint.SafetensorsWriter;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.checkpoint.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinearMergeTest {

  private final LinearMerge merge = new LinearMerge();

  @TempDir Path directory;

  @Test
  void endpointsEqualInputsExactly() {
    float[] baseValues = {-0.0f, 0.0f, 1e-40f, -3.25f, 65504f, 0.1f};
    float[] fineTunedValues = {1.0f, -0.0f, 2.5f, Float.POSITIVE_INFINITY, -7f, 0.3f};
    Path base = checkpoint("base", floatTensors(baseValues), Map.of());
    Path fineTuned = checkpoint("fine-tuned", floatTensors(fineTunedValues), Map.of());
    Path atZero = directory.resolve("alpha-0.safetensors");
    Path atOne = directory.resolve("alpha-1.safetensors");

    merge.merge(base, fineTuned, List.of(0.0, 1.0), List.of(atZero, atOne));

    for (String name : List.of("f32", "f16", "bf16", "f64")) {
      assertThat(tensorBytes(atZero, name)).as("alpha 0, tensor %s", name).isEqualTo(tensorBytes(base, name));
      assertThat(tensorBytes(atOne, name)).as("alpha 1, tensor %s", name).isEqualTo(tensorBytes(fineTuned, name));
    }
  }

  @Test
  void mixedTensorsMatchExactMix() {
    // One more chunk than fits, so that the last chunk is partial.
    int f32Count = LinearMerge.CHUNK_ELEMENTS + 1001;
    float[] baseF32 = randomFloats(f32Count, 1);
    float[] fineTunedF32 = randomFloats(f32Count, 2);
    float[] baseHalf = randomFloats(5000, 3);
    float[] fineTunedHalf = randomFloats(5000, 4);
    Path base = checkpoint("base", List.of(
        Tensor.ofFloats("f32", new long[] {f32Count}, baseF32),
        Tensor.ofFloats("f16", DType.F16, new long[] {50, 100}, baseHalf),
        Tensor.ofFloats("bf16", DType.BF16, new long[] {5000}, baseHalf),
        Tensor.ofFloats("f64", DType.F64, new long[] {5000}, baseHalf)), Map.of());
    Path fineTuned = checkpoint("fine-tuned", List.of(
        Tensor.ofFloats("f32", new long[] {f32Count}, fineTunedF32),
        Tensor.ofFloats("f16", DType.F16, new long[] {50, 100}, fineTunedHalf),
        Tensor.ofFloats("bf16", DType.BF16, new long[] {5000}, fineTunedHalf),
        Tensor.ofFloats("f64", DType.F64, new long[] {5000}, fineTunedHalf)), Map.of());
    double alpha = 0.3;
    Path output = directory.resolve("alpha-0.3.safetensors");

    merge.merge(base, fineTuned, List.of(alpha), List.of(output));

    try (SafetensorsFile merged = SafetensorsFile.open(output);
        SafetensorsFile baseFile = SafetensorsFile.open(base);
        SafetensorsFile fineTunedFile = SafetensorsFile.open(fineTuned)) {
      float[] mixedF32 = merged.read("f32").toFloats();
      for (int i = 0; i < f32Count; i++) {
        double expected = (1 - alpha) * baseF32[i] + alpha * fineTunedF32[i];
        // Mixing in float: one rounding of the result and about two of the larger input, as ChunkMixer states.
        float larger = Math.max(Math.abs(baseF32[i]), Math.abs(fineTunedF32[i]));
        double tolerance = Math.ulp((float) expected) + 2 * Math.ulp(larger);
        assertThat((double) mixedF32[i]).as("f32[%d]", i).isCloseTo(expected, within(tolerance));
      }
      assertHalfTypeWithinOneUlp(merged, baseFile, fineTunedFile, "f16", alpha, 10, -14);
      assertHalfTypeWithinOneUlp(merged, baseFile, fineTunedFile, "bf16", alpha, 7, -126);
      ByteBuffer mixedF64 = merged.data("f64");
      ByteBuffer baseF64 = baseFile.data("f64");
      ByteBuffer fineTunedF64 = fineTunedFile.data("f64");
      for (int i = 0; i < 5000; i++) {
        double expected = (1 - alpha) * baseF64.getDouble(8 * i) + alpha * fineTunedF64.getDouble(8 * i);
        assertThat(mixedF64.getDouble(8 * i)).as("f64[%d]", i).isCloseTo(expected, within(Math.ulp(expected)));
      }
    }
  }

  @Test
  void integerTensorsCopiedFromBase() {
    Path base = checkpoint("base", List.of(
        Tensor.ofFloats("bn.weight", new long[] {2}, new float[] {1, 1}),
        Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {7}),
        Tensor.ofBytes("mask", DType.BOOL, new long[] {2}, new byte[] {1, 0})), Map.of());
    Path fineTuned = checkpoint("fine-tuned", List.of(
        Tensor.ofFloats("bn.weight", new long[] {2}, new float[] {3, 5}),
        Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {1007}),
        Tensor.ofBytes("mask", DType.BOOL, new long[] {2}, new byte[] {0, 1})), Map.of());
    Path output = directory.resolve("half.safetensors");

    merge.merge(base, fineTuned, List.of(0.5), List.of(output));

    try (SafetensorsFile merged = SafetensorsFile.open(output)) {
      assertThat(merged.read("bn.num_batches_tracked").toLongs()).containsExactly(7);
      assertThat(merged.read("mask").toLongs()).containsExactly(1, 0);
      assertThat(merged.read("bn.weight").toFloats()).containsExactly(2, 3);
    }
  }

  @Test
  void severalAlphasMatchOneAtATime() throws IOException {
    Path base = checkpoint("base", mixedDtypeTensors(5), Map.of("paint.model", "vit"));
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(6), Map.of("paint.model", "vit"));
    List<Double> alphas = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
    List<Path> together = new ArrayList<>();
    List<Path> separate = new ArrayList<>();
    for (double alpha : alphas) {
      together.add(directory.resolve("together-" + alpha + ".safetensors"));
      separate.add(directory.resolve("separate-" + alpha + ".safetensors"));
    }

    merge.merge(base, fineTuned, alphas, together);
    for (int i = 0; i < alphas.size(); i++) {
      merge.merge(base, fineTuned, List.of(alphas.get(i)), List.of(separate.get(i)));
    }

    for (int i = 0; i < alphas.size(); i++) {
      assertThat(Files.readAllBytes(together.get(i))).as("alpha %s", alphas.get(i))
          .isEqualTo(Files.readAllBytes(separate.get(i)));
    }
  }

  @Test
  void outputMetadataRecordsMethodAndAlpha() {
    Path base = checkpoint("base", mixedDtypeTensors(1), Map.of("paint.model", "vit-b-32"));
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(2), Map.of("paint.model", "other"));
    Path output = directory.resolve("candidate.safetensors");

    merge.merge(base, fineTuned, List.of(0.25), List.of(output));

    try (SafetensorsFile merged = SafetensorsFile.open(output)) {
      assertThat(merged.metadata()).containsExactly(
          Map.entry("paint.model", "vit-b-32"),
          Map.entry(MergeMethod.METADATA_METHOD, "linear"),
          Map.entry(MergeMethod.METADATA_ALPHA, "0.25"));
    }
  }

  @Test
  void fineTunedTensorOrderDoesNotMatter() {
    Path base = checkpoint("base", List.of(
        Tensor.ofFloats("a", new long[] {1}, new float[] {1}),
        Tensor.ofFloats("b", new long[] {2}, new float[] {10, 20})), Map.of());
    Path fineTuned = checkpoint("fine-tuned", List.of(
        Tensor.ofFloats("b", new long[] {2}, new float[] {30, 40}),
        Tensor.ofFloats("a", new long[] {1}, new float[] {3})), Map.of());
    Path output = directory.resolve("half.safetensors");

    merge.merge(base, fineTuned, List.of(0.5), List.of(output));

    try (SafetensorsFile merged = SafetensorsFile.open(output)) {
      assertThat(merged.tensors()).extracting(spec -> spec.name()).containsExactly("a", "b");
      assertThat(merged.read("a").toFloats()).containsExactly(2);
      assertThat(merged.read("b").toFloats()).containsExactly(20, 30);
    }
  }

  @Test
  void mismatchedShapeRejected() {
    Path base = checkpoint("base", List.of(Tensor.ofFloats("head.weight", new long[] {2, 3}, new float[6])), Map.of());
    Path fineTuned = checkpoint("fine-tuned",
        List.of(Tensor.ofFloats("head.weight", new long[] {3, 2}, new float[6])), Map.of());
    Path output = directory.resolve("out.safetensors");

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.5), List.of(output)))
        .isInstanceOf(IncompatibleCheckpointsException.class)
        .hasMessageContaining("tensor 'head.weight' is dtype F32, shape [2, 3] in the base")
        .hasMessageContaining("but dtype F32, shape [3, 2] in the fine-tuned checkpoint");

    assertOnlyInputsRemain(base, fineTuned);
  }

  @Test
  void mismatchedDtypeRejected() {
    Path base = checkpoint("base", List.of(Tensor.ofFloats("w", new long[] {2}, new float[2])), Map.of());
    Path fineTuned = checkpoint("fine-tuned", List.of(Tensor.ofFloats("w", DType.F16, new long[] {2}, new float[2])),
        Map.of());

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.5), List.of(directory.resolve("out.safetensors"))))
        .isInstanceOf(IncompatibleCheckpointsException.class)
        .hasMessageContaining("tensor 'w' is dtype F32, shape [2] in the base but dtype F16, shape [2]");

    assertOnlyInputsRemain(base, fineTuned);
  }

  @Test
  void missingTensorRejectedFirstByName() {
    Path base = checkpoint("base", List.of(
        Tensor.ofFloats("c", new long[] {1}, new float[1]),
        Tensor.ofFloats("b", new long[] {1}, new float[1]),
        Tensor.ofFloats("a", new long[] {1}, new float[1])), Map.of());
    Path fineTuned = checkpoint("fine-tuned", List.of(
        Tensor.ofFloats("a", new long[] {1}, new float[1]),
        Tensor.ofFloats("c", new long[] {2}, new float[2]),
        Tensor.ofFloats("b2", new long[] {1}, new float[1])), Map.of());

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.5), List.of(directory.resolve("out.safetensors"))))
        .isInstanceOf(IncompatibleCheckpointsException.class)
        .hasMessageContaining("tensor 'b' (dtype F32, shape [1]) is in the base but missing from the fine-tuned")
        .hasMessageContaining(base.toString())
        .hasMessageContaining(fineTuned.toString());

    assertOnlyInputsRemain(base, fineTuned);
  }

  @Test
  void alphaOutOfRangeRejected() {
    Path base = checkpoint("base", mixedDtypeTensors(1), Map.of());
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(2), Map.of());

    for (double alpha : new double[] {-0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.5, alpha),
          List.of(directory.resolve("a.safetensors"), directory.resolve("b.safetensors"))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Alpha " + alpha + " at index 1 is outside [0, 1]");
    }

    assertOnlyInputsRemain(base, fineTuned);
  }

  @Test
  void alphaAndOutputListsValidated() {
    Path base = checkpoint("base", mixedDtypeTensors(1), Map.of());
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(2), Map.of());
    Path output = directory.resolve("out.safetensors");

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No alphas");
    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.1, 0.2), List.of(output)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 alphas but 1 outputs");
    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.1, 0.2), List.of(output, output)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is given twice");
    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.1), List.of(base)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is also an input");

    assertOnlyInputsRemain(base, fineTuned);
  }

  @Test
  void failedOutputLeavesNoPartialFiles() throws IOException {
    Path base = checkpoint("base", mixedDtypeTensors(1), Map.of());
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(2), Map.of());
    Path blocker = Files.writeString(directory.resolve("blocker"), "a file where a folder should be");
    Path first = directory.resolve("first.safetensors");
    Path second = blocker.resolve("second.safetensors");

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.2, 0.4), List.of(first, second)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("second.safetensors");

    assertThat(first).doesNotExist();
    assertThat(directory.resolve("first.safetensors" + SafetensorsWriter.PARTIAL_SUFFIX)).doesNotExist();
  }

  @Test
  void shardedCheckpointsMergeLikeSingleFiles() throws IOException {
    Path base = checkpoint("base", mixedDtypeTensors(5), Map.of("paint.model", "vit"));
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(6), Map.of("paint.model", "vit"));
    Path shardedBase = sharded("base-sharded", base);
    Path shardedFineTuned = sharded("fine-tuned-sharded", fineTuned);
    Path single = directory.resolve("single.safetensors");
    Path shardedOutput = directory.resolve("candidate").resolve("model.safetensors.index.json");

    merge.merge(base, fineTuned, List.of(0.3), List.of(single));
    merge.merge(shardedBase, shardedFineTuned, List.of(0.3), List.of(shardedOutput));

    try (Checkpoint expected = Checkpoints.open(single); Checkpoint actual = Checkpoints.open(shardedOutput)) {
      assertThat(actual.shards()).extracting(CheckpointShard::fileName)
          .containsExactly("model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
      assertThat(actual.tensors()).containsExactlyElementsOf(expected.tensors());
      assertThat(actual.metadata()).containsEntry(MergeMethod.METADATA_ALPHA, "0.3");
      for (TensorSpec spec : expected.tensors()) {
        assertThat(allBytes(actual, spec)).as(spec.name()).isEqualTo(allBytes(expected, spec));
      }
    }
  }

  @Test
  void shardedOutputBesideInputShardsRejected() {
    Path base = sharded("base-sharded", checkpoint("base", mixedDtypeTensors(5), Map.of()));
    Path fineTuned = sharded("fine-tuned-sharded", checkpoint("fine-tuned", mixedDtypeTensors(6), Map.of()));
    Path output = base.resolveSibling("candidate.safetensors.index.json");

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.5), List.of(output)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is also an input of the merge")
        .hasMessageContaining("model-00001-of-00002.safetensors");
  }

  @Test
  void shardedOutputsSharingDirectoryRejected() {
    Path base = sharded("base-sharded", checkpoint("base", mixedDtypeTensors(5), Map.of()));
    Path fineTuned = checkpoint("fine-tuned", mixedDtypeTensors(6), Map.of());
    Path first = directory.resolve("out").resolve("a.safetensors.index.json");
    Path second = directory.resolve("out").resolve("b.safetensors.index.json");

    assertThatThrownBy(() -> merge.merge(base, fineTuned, List.of(0.2, 0.4), List.of(first, second)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would both write")
        .hasMessageContaining("own directory");
  }

  @Test
  void mergeMethodsFindsLinearByName() {
    assertThat(MergeMethods.byName("linear")).isInstanceOf(LinearMerge.class);
    assertThat(MergeMethods.names()).containsExactly("linear");
    assertThatThrownBy(() -> MergeMethods.byName("slerp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'slerp'")
        .hasMessageContaining("[linear]");
  }

  private void assertHalfTypeWithinOneUlp(SafetensorsFile merged, SafetensorsFile base, SafetensorsFile fineTuned,
      String name, double alpha, int mantissaBits, int minExponent) {
    float[] mixed = merged.read(name).toFloats();
    float[] baseValues = base.read(name).toFloats();
    float[] fineTunedValues = fineTuned.read(name).toFloats();
    for (int i = 0; i < mixed.length; i++) {
      double expected = (1 - alpha) * baseValues[i] + alpha * fineTunedValues[i];
      // One ulp of the type at the expected value: 2^(exponent - mantissa bits), constant among subnormals.
      double ulp = Math.scalb(1.0, Math.max(Math.getExponent(expected), minExponent) - mantissaBits);
      assertThat((double) mixed[i]).as("%s[%d]", name, i).isCloseTo(expected, within(ulp));
    }
  }

  private void assertOnlyInputsRemain(Path base, Path fineTuned) {
    try (Stream<Path> files = Files.list(directory)) {
      assertThat(files).containsExactlyInAnyOrder(base, fineTuned);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a single-file checkpoint into two shards in its own directory, splitting its tensors in half. */
  private Path sharded(String name, Path singleFile) {
    Path index = directory.resolve(name).resolve("model.safetensors.index.json");
    try (SafetensorsFile source = SafetensorsFile.open(singleFile)) {
      List<TensorSpec> tensors = source.tensors();
      int half = tensors.size() / 2;
      List<CheckpointShard> layout = List.of(
          new CheckpointShard("model-00001-of-00002.safetensors", tensors.subList(0, half)),
          new CheckpointShard("model-00002-of-00002.safetensors", tensors.subList(half, tensors.size())));
      try (CheckpointWriter writer = Checkpoints.createWriter(index, layout, source.metadata())) {
        for (TensorSpec spec : tensors) {
          writer.write(spec.name(), source.data(spec.name()));
        }
      }
    }
    return index;
  }

  private static byte[] allBytes(Checkpoint checkpoint, TensorSpec spec) {
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(spec.byteSize()));
    checkpoint.readData(spec.name(), 0, bytes);
    return bytes.array();
  }

  private Path checkpoint(String name, List<Tensor> tensors, Map<String, String> metadata) {
    Path file = directory.resolve(name + ".safetensors");
    SafetensorsWriter.write(file, tensors, metadata);
    return file;
  }

  static byte[] tensorBytes(Path file, String name) {
    try (SafetensorsFile checkpoint = SafetensorsFile.open(file)) {
      ByteBuffer data = checkpoint.data(name);
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      return bytes;
    }
  }

  private static List<Tensor> floatTensors(float[] values) {
    long[] shape = {values.length};
    return List.of(
        Tensor.ofFloats("f32", shape, values),
        Tensor.ofFloats("f16", DType.F16, shape, values),
        Tensor.ofFloats("bf16", DType.BF16, shape, values),
        Tensor.ofFloats("f64", DType.F64, shape, values));
  }

  private static List<Tensor> mixedDtypeTensors(long seed) {
    float[] values = randomFloats(300, seed);
    return List.of(
        Tensor.ofFloats("encoder.weight", new long[] {10, 30}, values),
        Tensor.ofFloats("encoder.norm", DType.F16, new long[] {300}, values),
        Tensor.ofFloats("encoder.bias", DType.BF16, new long[] {3, 100}, values),
        Tensor.ofFloats("head.weight", DType.F64, new long[] {300}, values),
        Tensor.ofLongs("bn.num_batches_tracked", new long[] {}, new long[] {seed}));
  }

  private static float[] randomFloats(int count, long seed) {
    Random random = new Random(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) (random.nextGaussian() * 0.05);
    }
    return values;
  }
}
