package dev.paint.shared.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paint.shared.dataset.DatasetManifest.SplitEntry;
import dev.paint.shared.json.Json;
import dev.paint.shared.storage.LocalObjectStoreExtension;
import dev.paint.shared.storage.ObjectStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link DatasetStore} against S3Proxy on 127.0.0.1, one bucket per test. */
class DatasetStoreTest {

  private static final Map<String, String> SOURCES = Map.of("digits.csv.gz", "ab".repeat(32));

  @RegisterExtension
  static final LocalObjectStoreExtension S3PROXY = new LocalObjectStoreExtension();

  private ObjectStore objects;
  private Dataset dataset;

  @TempDir
  Path cacheDirectory;

  @BeforeEach
  void createBucket() {
    objects = S3PROXY.createBucket("datasets-");
    RawDataset raw = new RawDataset(List.of("zero", "one", "two"), randomImages(300, 1), randomImages(40, 2));
    dataset = DatasetSplitter.split("tiny-digits", raw, 5);
  }

  @Test
  void uploadThenLoadReturnsSameSplits() {
    DatasetStore store = new DatasetStore(objects);

    DatasetManifest manifest = store.upload(dataset, SOURCES);
    DatasetStore reader = new DatasetStore(objects);

    for (Split split : Split.values()) {
      assertThat(reader.load("tiny-digits", split)).as(split.key()).isEqualTo(dataset.split(split));
    }
    assertThat(reader.manifest("tiny-digits")).isEqualTo(manifest);
    assertThat(reader.loadDataset("tiny-digits")).isEqualTo(dataset);
  }

  @Test
  void uploadWritesIdxObjectsAndManifest() {
    DatasetStore store = new DatasetStore(objects);

    DatasetManifest manifest = store.upload(dataset, SOURCES);

    assertThat(objectKeys()).containsExactlyInAnyOrder(
        "datasets/tiny-digits/manifest.json",
        "datasets/tiny-digits/train-images.idx", "datasets/tiny-digits/train-labels.idx",
        "datasets/tiny-digits/validation-images.idx", "datasets/tiny-digits/validation-labels.idx",
        "datasets/tiny-digits/test-images.idx", "datasets/tiny-digits/test-labels.idx");
    SplitEntry validation = manifest.split(Split.VALIDATION);
    byte[] stored = objects.getBytes(validation.imagesKey());
    assertThat(stored).isEqualTo(IdxFormat.encodeImages(dataset.validation()));
    assertThat(validation.imagesSha256()).isEqualTo(Sha256.hex(stored));
    assertThat(validation.count()).isEqualTo(dataset.validation().size());
    assertThat(manifest.seed()).isEqualTo(5);
    assertThat(manifest.sources()).isEqualTo(SOURCES);
    assertThat(manifest.formatVersion()).isEqualTo(DatasetManifest.FORMAT_VERSION);
  }

  @Test
  void manifestJsonNamesSplitsInOrder() {
    new DatasetStore(objects).upload(dataset, SOURCES);

    String json = new String(objects.getBytes(DatasetStore.manifestKey("tiny-digits")));

    assertThat(json).contains("\"name\":\"tiny-digits\"", "\"classNames\":[\"zero\",\"one\",\"two\"]");
    assertThat(json.indexOf("\"train\"")).isLessThan(json.indexOf("\"validation\""));
    assertThat(json.indexOf("\"validation\"")).isLessThan(json.indexOf("\"test\""));
    assertThat(Json.read(json, DatasetManifest.class)).isEqualTo(new DatasetStore(objects).manifest("tiny-digits"));
  }

  @Test
  void flippedByteDetectedOnLoad() {
    DatasetStore store = new DatasetStore(objects);
    DatasetManifest manifest = store.upload(dataset, SOURCES);
    String key = manifest.split(Split.VALIDATION).imagesKey();
    byte[] altered = objects.getBytes(key);
    altered[altered.length - 1] ^= 0x01;
    objects.putBytes(key, altered, "application/octet-stream");

    assertThatThrownBy(() -> store.load("tiny-digits", Split.VALIDATION))
        .isInstanceOf(DatasetIntegrityException.class)
        .hasMessageContaining(key)
        .hasMessageContaining("expected " + manifest.split(Split.VALIDATION).imagesSha256())
        .hasMessageContaining("SHA-256 is " + Sha256.hex(altered));
    assertThat(store.load("tiny-digits", Split.TRAIN)).isEqualTo(dataset.train());
  }

  @Test
  void missingManifestRaisesNotFound() {
    DatasetStore store = new DatasetStore(objects);

    assertThat(store.exists("never-imported")).isFalse();
    assertThatThrownBy(() -> store.load("never-imported", Split.TRAIN))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("'never-imported'")
        .hasMessageContaining("datasets/never-imported/manifest.json")
        .hasMessageContaining("Import the dataset first");
  }

  @Test
  void missingSplitObjectReported() {
    DatasetStore store = new DatasetStore(objects);
    DatasetManifest manifest = store.upload(dataset, SOURCES);
    objects.delete(manifest.split(Split.TEST).labelsKey());

    assertThatThrownBy(() -> store.load("tiny-digits", Split.TEST))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(manifest.split(Split.TEST).labelsKey())
        .hasMessageContaining("missing");
  }

  @Test
  void cacheServesRepeatedLoads() {
    DatasetStore store = new DatasetStore(objects, cacheDirectory);
    DatasetManifest manifest = store.upload(dataset, SOURCES);
    store.load("tiny-digits", Split.TRAIN);
    // With the objects gone, only the cache can serve the second load.
    objects.delete(manifest.split(Split.TRAIN).imagesKey());
    objects.delete(manifest.split(Split.TRAIN).labelsKey());

    LabeledImages cached = store.load("tiny-digits", Split.TRAIN);

    assertThat(cached).isEqualTo(dataset.train());
    assertThat(cacheDirectory.resolve(manifest.split(Split.TRAIN).imagesSha256() + ".idx")).isRegularFile();
  }

  @Test
  void corruptCacheFileDownloadedAgain() throws IOException {
    DatasetStore store = new DatasetStore(objects, cacheDirectory);
    DatasetManifest manifest = store.upload(dataset, SOURCES);
    store.load("tiny-digits", Split.TEST);
    Path cached = cacheDirectory.resolve(manifest.split(Split.TEST).imagesSha256() + ".idx");
    Files.write(cached, new byte[] {1, 2, 3});

    LabeledImages loaded = store.load("tiny-digits", Split.TEST);

    assertThat(loaded).isEqualTo(dataset.test());
    assertThat(Sha256.hex(Files.readAllBytes(cached))).isEqualTo(manifest.split(Split.TEST).imagesSha256());
  }

  @Test
  void repeatedUploadKeepsManifest() {
    DatasetStore store = new DatasetStore(objects);
    DatasetManifest first = store.upload(dataset, SOURCES);

    DatasetManifest second = store.upload(dataset, SOURCES);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void differentContentUnderSameNameRejected() {
    DatasetStore store = new DatasetStore(objects);
    store.upload(dataset, SOURCES);
    RawDataset other = new RawDataset(List.of("zero", "one", "two"), randomImages(300, 9), randomImages(40, 2));

    Dataset reimported = DatasetSplitter.split("tiny-digits", other, 5);

    assertThatThrownBy(() -> store.upload(reimported, SOURCES))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("'tiny-digits' already exists");
    assertThat(store.load("tiny-digits", Split.TRAIN)).isEqualTo(dataset.train());
  }

  @Test
  void deleteRemovesManifestAndObjects() {
    DatasetStore store = new DatasetStore(objects);
    store.upload(dataset, SOURCES);

    store.delete("tiny-digits");

    assertThat(store.exists("tiny-digits")).isFalse();
    assertThat(objectKeys()).isEmpty();
  }

  @Test
  void invalidNameRejectedBeforeRequest() {
    DatasetStore store = new DatasetStore(objects);

    assertThatThrownBy(() -> store.load("../checkpoints", Split.TRAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../checkpoints'");
    assertThatThrownBy(() -> store.exists("Fashion-MNIST"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Fashion-MNIST'");
  }

  /**
   * Lists the keys under datasets/ without the directory entries, such as "datasets/tiny-digits/", that S3Proxy's
   * filesystem provider reports for its folders.
   */
  private List<String> objectKeys() {
    return objects.list(DatasetStore.PREFIX).stream().filter(key -> !key.endsWith("/")).toList();
  }

  /** Images of 1x4x4 random pixels with labels 0 to 2, drawn with {@code seed}. */
  private static LabeledImages randomImages(int count, long seed) {
    java.util.Random random = new java.util.Random(seed);
    byte[] pixels = new byte[count * 16];
    random.nextBytes(pixels);
    int[] labels = random.ints(count, 0, 3).toArray();
    return new LabeledImages(1, 4, 4, pixels, labels);
  }
}
