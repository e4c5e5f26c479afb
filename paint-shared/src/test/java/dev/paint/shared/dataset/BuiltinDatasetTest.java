package dev.paint.shared.dataset;

import static dev.paint.shared.dataset.IdxFormatTest.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imports the real source files when they are on this machine: scripts/fetch-datasets.sh puts them under
 * {@code $PAINT_DATA_DIR}, by default {@code .paint/data} in the repository. Tests skip when the files are absent.
 */
class BuiltinDatasetTest {

  private static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir
  Path directory;

  @Test
  void fashionMnistImportMatchesPublishedCounts() {
    Path source = BuiltinDataset.FASHION_MNIST.sourceDirectory(dataDirectory());
    if (!Files.isDirectory(source)) {
      source = DEBIAN_FASHION_MNIST;
    }
    assumeTrue(Files.isDirectory(source), "Fashion-MNIST not found; run scripts/fetch-datasets.sh");

    RawDataset raw = BuiltinDataset.FASHION_MNIST.importFrom(source, ImageSize.GRAYSCALE_28);

    assertThat(raw.train().size()).isEqualTo(60_000);
    assertThat(raw.test().size()).isEqualTo(10_000);
    assertThat(raw.classNames()).hasSize(10).startsWith("T-shirt/top").endsWith("Ankle boot");
    assertThat(raw.sourceChecksums()).isEqualTo(BuiltinDataset.FASHION_MNIST.sourceSha256());
    // Fashion-MNIST has exactly 6,000 training and 1,000 test images per class.
    assertThat(classCounts(raw.train(), 10)).containsOnly(6_000);
    assertThat(classCounts(raw.test(), 10)).containsOnly(1_000);
  }

  @Test
  void mnistJsonImportHasTenThousandDigits() {
    Path source = BuiltinDataset.MNIST.sourceDirectory(dataDirectory());
    assumeTrue(Files.isDirectory(source), "mnist JSON digits not found; run scripts/fetch-datasets.sh");

    RawDataset raw = BuiltinDataset.MNIST.importFrom(source, ImageSize.GRAYSCALE_28);

    assertThat(raw.train().size()).isEqualTo(10_000);
    assertThat(raw.hasTest()).isFalse();
    assertThat(raw.sourceChecksums()).isEqualTo(BuiltinDataset.MNIST.sourceSha256());
    assertThat(Arrays.stream(classCounts(raw.train(), 10)).min().orElseThrow()).isGreaterThan(800);
  }

  @Test
  void uciDigitsImportHasAllRows() {
    Path source = BuiltinDataset.UCI_DIGITS.sourceDirectory(dataDirectory());
    assumeTrue(Files.isDirectory(source), "UCI digits not found; run scripts/fetch-datasets.sh");

    RawDataset raw = BuiltinDataset.UCI_DIGITS.importFrom(source, ImageSize.GRAYSCALE_28);

    assertThat(raw.train().size()).isEqualTo(1_797);
    assertThat(raw.train().height()).isEqualTo(28);
    assertThat(raw.sourceChecksums()).isEqualTo(BuiltinDataset.UCI_DIGITS.sourceSha256());
    assertThat(Arrays.stream(classCounts(raw.train(), 10)).min().orElseThrow()).isGreaterThan(170);
  }

  @Test
  void uciDigitsSplitGivesExpectedSizes() {
    Path source = BuiltinDataset.UCI_DIGITS.sourceDirectory(dataDirectory());
    assumeTrue(Files.isDirectory(source), "UCI digits not found; run scripts/fetch-datasets.sh");

    Dataset dataset =
        DatasetSplitter.split("uci-digits", BuiltinDataset.UCI_DIGITS.importFrom(source, ImageSize.GRAYSCALE_28), 0);

    assertThat(dataset.test().size()).isEqualTo(359);
    assertThat(dataset.validation().size()).isEqualTo(143);
    assertThat(dataset.train().size()).isEqualTo(1_295);
  }

  @Test
  void alteredSourceFileRejected() throws IOException {
    Path csv = directory.resolve("digits.csv.gz");
    Files.write(csv, gzip(("0,".repeat(64) + "1\n").getBytes(StandardCharsets.US_ASCII)));

    assertThatThrownBy(() -> BuiltinDataset.UCI_DIGITS.importFrom(directory, ImageSize.GRAYSCALE_28))
        .isInstanceOf(DatasetIntegrityException.class)
        .hasMessageContaining(csv.toString())
        .hasMessageContaining(Sha256.hex(Files.readAllBytes(csv)))
        .hasMessageContaining(BuiltinDataset.UCI_DIGITS.sourceSha256().get("digits.csv.gz"));
  }

  @Test
  void missingSourceFileRejected() {
    assertThatThrownBy(() -> BuiltinDataset.MNIST.importFrom(directory, ImageSize.GRAYSCALE_28))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(directory.resolve("0.json").toString());
  }

  @Test
  void keysResolveToDatasets() {
    for (BuiltinDataset dataset : BuiltinDataset.values()) {
      assertThat(BuiltinDataset.fromKey(dataset.key())).isSameAs(dataset);
      assertThat(Dataset.requireValidName(dataset.key())).isEqualTo(dataset.key());
    }
    assertThatThrownBy(() -> BuiltinDataset.fromKey("cifar10"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fashion-mnist, mnist, uci-digits");
  }

  /** Returns the directory the fetch script fills: $PAINT_DATA_DIR, else .paint/data in the repository. */
  static Path dataDirectory() {
    String configured = System.getenv("PAINT_DATA_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    // Surefire runs tests in the module directory and sets basedir to it.
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../.paint/data").normalize();
  }

  private static int[] classCounts(LabeledImages images, int classes) {
    int[] counts = new int[classes];
    for (int label : images.labels()) {
      counts[label]++;
    }
    return counts;
  }
}
