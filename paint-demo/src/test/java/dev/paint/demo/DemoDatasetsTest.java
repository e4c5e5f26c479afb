package dev.paint.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.dataset.RawDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatasetsTest {

  @Test
  void sampleOfClassSortedSourceMixesClasses() {
    LabeledImages sorted = classSorted(10, 100);

    LabeledImages sample = DemoDatasets.sample(sorted, 200, DemoDatasets.SPLIT_SEED);

    assertThat(sample.size()).isEqualTo(200);
    assertThat(Arrays.stream(sample.labels()).distinct().count()).isEqualTo(10);
  }

  @Test
  void sampleIsSameForSameSeed() {
    LabeledImages sorted = classSorted(10, 100);

    LabeledImages first = DemoDatasets.sample(sorted, 50, 7);
    LabeledImages second = DemoDatasets.sample(sorted, 50, 7);

    assertThat(first).isEqualTo(second);
  }

  @Test
  void sampleLargerThanSourceKeepsSource() {
    LabeledImages images = classSorted(2, 5);

    assertThat(DemoDatasets.sample(images, 100, 0)).isSameAs(images);
  }

  @Test
  void rawSampleCutsTestToSixth() {
    RawDataset raw = new RawDataset(List.of("a", "b"), classSorted(2, 600), classSorted(2, 100));

    RawDataset sample = DemoDatasets.sample(raw, 600);

    assertThat(sample.train().size()).isEqualTo(600);
    assertThat(sample.test().size()).isEqualTo(100);
  }

  @Test
  void missingSourceDirectoryNamesFetchScript(@TempDir Path dataDirectory) {
    assertThatThrownBy(() -> DemoDatasets.sourceDirectory(BuiltinDataset.UCI_DIGITS, dataDirectory))
        .isInstanceOf(DemoFailedException.class)
        .hasMessageContaining(dataDirectory.resolve("uci-digits").toString())
        .hasMessageContaining("scripts/fetch-datasets.sh");
  }

  @Test
  void existingSourceDirectoryIsUsed(@TempDir Path dataDirectory) throws Exception {
    Path mnist = Files.createDirectories(dataDirectory.resolve("mnist"));

    assertThat(DemoDatasets.sourceDirectory(BuiltinDataset.MNIST, dataDirectory)).isEqualTo(mnist);
  }

  /** Returns {@code perClass} 2x2 images of each class, class 0 first, each image filled with its label. */
  private static LabeledImages classSorted(int classes, int perClass) {
    int count = classes * perClass;
    int[] labels = new int[count];
    byte[] pixels = new byte[count * 4];
    for (int i = 0; i < count; i++) {
      labels[i] = i / perClass;
      Arrays.fill(pixels, i * 4, i * 4 + 4, (byte) labels[i]);
    }
    return new LabeledImages(1, 2, 2, pixels, labels);
  }
}
