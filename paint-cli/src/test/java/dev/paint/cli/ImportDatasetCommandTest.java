package dev.paint.cli;

import static dev.paint.cli.TestStack.runCli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paint.cli.TestStack.CliResult;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.storage.ObjectStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** import-dataset against a real object store, read back with DatasetStore as the services read it. */
class ImportDatasetCommandTest {

  private static final List<String> CLASSES = List.of("ant", "bee", "cat");
  /** Gray level of every pixel of each class's images; a constant image keeps its value through resizing. */
  private static final int[] GRAY_LEVELS = {30, 130, 230};
  private static final int IMAGES_PER_CLASS = 8;

  @TempDir
  Path directory;

  private String bucket;
  private Map<String, String> environment;
  private Path folder;

  @BeforeEach
  void writeImageFolder() throws IOException {
    bucket = TestStack.uniqueBucket();
    environment = TestStack.objectStoreEnvironment(bucket);
    folder = directory.resolve("shapes");
    for (int label = 0; label < CLASSES.size(); label++) {
      Path classDirectory = Files.createDirectories(folder.resolve(CLASSES.get(label)));
      for (int i = 0; i < IMAGES_PER_CLASS; i++) {
        writeGrayPng(classDirectory.resolve("image-" + i + ".png"), GRAY_LEVELS[label]);
      }
    }
  }

  @Test
  void imageFolderLoadsBackWithLabels() {
    CliResult result = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString());

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    DatasetStore datasets = new DatasetStore(TestStack.connect(bucket));
    Dataset dataset = datasets.loadDataset("shapes");
    assertThat(dataset.classNames()).containsExactlyElementsOf(CLASSES);
    assertThat(dataset.train().size() + dataset.validation().size() + dataset.test().size())
        .isEqualTo(CLASSES.size() * IMAGES_PER_CLASS);
    int[] imagesPerLabel = new int[CLASSES.size()];
    for (Split split : Split.values()) {
      LabeledImages images = dataset.split(split);
      assertThat(images.imageSize().toString()).isEqualTo("1x28x28");
      for (int i = 0; i < images.size(); i++) {
        int label = images.labels()[i];
        imagesPerLabel[label]++;
        assertThat(images.pixel(i, 0, 14, 14)).as("%s image %d", split.key(), i).isEqualTo(GRAY_LEVELS[label]);
      }
    }
    assertThat(imagesPerLabel).containsExactly(IMAGES_PER_CLASS, IMAGES_PER_CLASS, IMAGES_PER_CLASS);
  }

  @Test
  void summaryShowsSplitCountsAndDigests() {
    CliResult result = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString());

    DatasetManifest manifest = new DatasetStore(TestStack.connect(bucket)).manifest("shapes");
    assertThat(result.out()).contains("Uploaded to s3://" + bucket + "/datasets/shapes/");
    for (Split split : Split.values()) {
      DatasetManifest.SplitEntry entry = manifest.split(split);
      assertThat(result.out()).containsPattern(
          split.key() + " +" + entry.count() + "  " + entry.imagesSha256() + "  " + entry.labelsSha256());
    }
  }

  @Test
  void classesChannelsAndSizeShapeTheStoredDataset() {
    CliResult result = runCli(environment, "import-dataset", "--name", "shapes-rgb", "--format", "imagefolder",
        "--source", folder.toString(), "--classes", "small,medium,large", "--channels", "3", "--size", "16",
        "--seed", "7");

    assertThat(result.status()).as(result.err()).isEqualTo(PaintCli.EXIT_OK);
    DatasetManifest manifest = new DatasetStore(TestStack.connect(bucket)).manifest("shapes-rgb");
    assertThat(manifest.classNames()).containsExactly("small", "medium", "large");
    assertThat(manifest.imageSize().toString()).isEqualTo("3x16x16");
    assertThat(manifest.seed()).isEqualTo(7);
  }

  @Test
  void repeatedImportUploadsNothing() {
    runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder", "--source",
        folder.toString());

    CliResult again = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString());

    assertThat(again.status()).as(again.err()).isEqualTo(PaintCli.EXIT_OK);
    assertThat(again.out()).contains("Already stored in s3://" + bucket + "/datasets/shapes/ with the same manifest");
  }

  @Test
  void otherDataUnderSameNameFails() {
    runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder", "--source",
        folder.toString());

    CliResult other = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString(), "--seed", "1");

    assertThat(other.status()).isEqualTo(PaintCli.EXIT_FAILED);
    assertThat(other.err().lines()).hasSize(1);
    assertThat(other.err()).startsWith("Dataset 'shapes' already exists in s3://" + bucket + "/datasets/shapes/");
  }

  @Test
  void classCountMismatchIsUsageError() {
    CliResult result = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString(), "--classes", "small,large");

    assertThat(result.status()).isEqualTo(PaintCli.EXIT_USAGE);
    assertThat(result.err()).startsWith("Option --classes lists 2 names, but the source has 3 classes [ant, bee,"
        + " cat]");
    ObjectStore store = TestStack.connect(bucket);
    assertThat(store.list("datasets/")).isEmpty();
  }

  @Test
  void outputNeverContainsSecretKey() {
    CliResult result = runCli(environment, "import-dataset", "--name", "shapes", "--format", "imagefolder",
        "--source", folder.toString());

    String secret = TestStack.objectStore().secretKey();
    assertThat(result.out()).doesNotContain(secret);
    assertThat(result.err()).doesNotContain(secret);
  }

  private static void writeGrayPng(Path file, int level) throws IOException {
    BufferedImage image = new BufferedImage(10, 12, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.getRaster().setSample(x, y, 0, level);
      }
    }
    ImageIO.write(image, "png", file.toFile());
  }
}
