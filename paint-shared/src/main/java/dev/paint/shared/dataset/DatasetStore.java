package dev.paint.shared.dataset;

import dev.paint.shared.dataset.DatasetManifest.SplitEntry;
import dev.paint.shared.storage.ObjectNotFoundException;
import dev.paint.shared.storage.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Stores datasets in the object store and loads them back, verified, so that every service reads the same bytes.
 *
 * <p>A dataset named {@code <name>} is the objects {@code datasets/<name>/<split>-images.idx} and
 * {@code datasets/<name>/<split>-labels.idx}, uncompressed IDX, plus {@code datasets/<name>/manifest.json}. The
 * manifest is written last, so a reader that finds it also finds the objects it names.
 *
 * <p>With a cache directory, loads keep each verified object as {@code <cache>/<sha256>.idx} and read it from there
 * next time. A content-addressed name cannot go stale: a re-imported dataset has new digests and so new cache files.
 */
public final class DatasetStore {

  /** Key prefix of all datasets. */
  public static final String PREFIX = "datasets/";

  private static final Logger LOG = Logger.getLogger(DatasetStore.class);
  private static final String IDX_CONTENT_TYPE = "application/octet-stream";

  private final ObjectStore store;
  private final Path cacheDirectory;

  /** Creates a store that downloads every split on each load. */
  public DatasetStore(ObjectStore store) {
    this.store = Objects.requireNonNull(store, "store");
    this.cacheDirectory = null;
  }

  /** Creates a store that keeps verified split objects in {@code cacheDirectory}, which is created when missing. */
  public DatasetStore(ObjectStore store, Path cacheDirectory) {
    this.store = Objects.requireNonNull(store, "store");
    this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    try {
      Files.createDirectories(cacheDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create dataset cache directory " + cacheDirectory + ": " + e.getMessage(), e);
    }
  }

  /** Returns the key of the manifest of dataset {@code name}. */
  public static String manifestKey(String name) {
    return PREFIX + Dataset.requireValidName(name) + "/manifest.json";
  }

  /** Returns the key of the IDX images of one split. */
  public static String imagesKey(String name, Split split) {
    return PREFIX + Dataset.requireValidName(name) + "/" + split.key() + "-images.idx";
  }

  /** Returns the key of the IDX labels of one split. */
  public static String labelsKey(String name, Split split) {
    return PREFIX + Dataset.requireValidName(name) + "/" + split.key() + "-labels.idx";
  }

  /**
   * Uploads the three splits, then the manifest, and returns the manifest.
   *
   * <p>Uploading a dataset that is already stored with the same manifest writes nothing, so an import can be repeated.
   * A stored dataset with a different manifest (other images, classes, seed or sources) is rejected, because services
   * may be reading it.
   *
   * @param sources SHA-256 of each source file, usually {@link RawDataset#sourceChecksums()}
   */
  public DatasetManifest upload(Dataset dataset, Map<String, String> sources) {
    String name = dataset.name();
    Map<Split, byte[]> images = new LinkedHashMap<>();
    Map<Split, byte[]> labels = new LinkedHashMap<>();
    Map<String, SplitEntry> entries = new LinkedHashMap<>();
    for (Split split : Split.values()) {
      LabeledImages splitImages = dataset.split(split);
      images.put(split, IdxFormat.encodeImages(splitImages));
      labels.put(split, IdxFormat.encodeLabels(splitImages.labels()));
      entries.put(split.key(), new SplitEntry(
          splitImages.size(),
          imagesKey(name, split), Sha256.hex(images.get(split)),
          labelsKey(name, split), Sha256.hex(labels.get(split))));
    }
    LabeledImages train = dataset.train();
    DatasetManifest manifest = new DatasetManifest(
        DatasetManifest.FORMAT_VERSION, name, dataset.classNames(), train.channels(), train.height(), train.width(),
        dataset.seed(), entries, sources);

    if (exists(name)) {
      return requireSameManifest(manifest(name), manifest);
    }

    for (Split split : Split.values()) {
      store.putBytes(imagesKey(name, split), images.get(split), IDX_CONTENT_TYPE);
      store.putBytes(labelsKey(name, split), labels.get(split), IDX_CONTENT_TYPE);
    }
    store.putJson(manifestKey(name), manifest);

    LOG.infof(
        "Uploaded dataset %s to s3://%s/%s%s/: %d train, %d validation, %d test images of %dx%dx%d", name,
        store.bucket(), PREFIX, name, dataset.train().size(), dataset.validation().size(), dataset.test().size(),
        train.channels(), train.height(), train.width());
    return manifest;
  }

  /** Returns whether dataset {@code name} has a manifest in the store. */
  public boolean exists(String name) {
    return store.exists(manifestKey(name));
  }

  /** Returns the manifest of dataset {@code name}; a dataset never imported raises {@link DatasetNotFoundException}. */
  public DatasetManifest manifest(String name) {
    String key = manifestKey(name);
    DatasetManifest manifest;
    try {
      manifest = store.getJson(key, DatasetManifest.class);
    } catch (ObjectNotFoundException e) {
      throw new DatasetNotFoundException(
          "Dataset '" + name + "' not found: s3://" + store.bucket() + "/" + key + " does not exist. Import the"
              + " dataset first (scripts/fetch-datasets.sh for the built-in ones, then upload it with DatasetStore)");
    }

    if (manifest.formatVersion() != DatasetManifest.FORMAT_VERSION) {
      throw new DatasetFormatException(
          "Manifest s3://" + store.bucket() + "/" + key + " has format version " + manifest.formatVersion()
              + ", expected " + DatasetManifest.FORMAT_VERSION + ". Upgrade this service or import the dataset again");
    }
    if (!name.equals(manifest.name())) {
      throw new DatasetFormatException(
          "Manifest s3://" + store.bucket() + "/" + key + " names dataset '" + manifest.name() + "', expected '" + name
              + "'. Import the dataset again");
    }
    return manifest;
  }

  /**
   * Loads one split and checks both objects against the SHA-256 digests in the manifest.
   *
   * @throws DatasetNotFoundException when the dataset has no manifest
   * @throws DatasetIntegrityException when an object differs from its digest
   */
  public LabeledImages load(String name, Split split) {
    return load(manifest(name), split);
  }

  /** Loads the three splits of dataset {@code name}, verified like {@link #load(String, Split)}. */
  public Dataset loadDataset(String name) {
    DatasetManifest manifest = manifest(name);
    return new Dataset(
        name, manifest.classNames(), load(manifest, Split.TRAIN), load(manifest, Split.VALIDATION),
        load(manifest, Split.TEST), manifest.seed());
  }

  /**
   * Deletes dataset {@code name}: the manifest first, so that readers stop finding it, then its objects. Services
   * that are loading it at that moment fail.
   */
  public void delete(String name) {
    store.delete(manifestKey(name));
    for (String key : store.list(PREFIX + name + "/")) {
      store.delete(key);
    }
    LOG.infof("Deleted dataset %s from s3://%s/%s%s/", name, store.bucket(), PREFIX, name);
  }

  private LabeledImages load(DatasetManifest manifest, Split split) {
    SplitEntry entry = manifest.split(split);
    byte[] images = fetchVerified(entry.imagesKey(), entry.imagesSha256());
    byte[] labels = fetchVerified(entry.labelsKey(), entry.labelsSha256());

    LabeledImages loaded = IdxFormat.decode(images, entry.imagesKey(), labels, entry.labelsKey());

    boolean shapeMatches = loaded.channels() == manifest.channels()
        && loaded.height() == manifest.height()
        && loaded.width() == manifest.width()
        && loaded.size() == entry.count();
    if (!shapeMatches) {
      throw new DatasetFormatException(
          "Split " + split.key() + " of dataset '" + manifest.name() + "' has " + loaded.size() + " images of "
              + loaded.channels() + "x" + loaded.height() + "x" + loaded.width() + ", but its manifest lists "
              + entry.count() + " of " + manifest.imageSize() + ". Import the dataset again");
    }
    return loaded;
  }

  /** Returns the object's bytes from the cache or the store after checking them against {@code expectedSha256}. */
  private byte[] fetchVerified(String key, String expectedSha256) {
    byte[] cached = readCached(key, expectedSha256);
    if (cached != null) {
      return cached;
    }

    byte[] data;
    try {
      data = store.getBytes(key);
    } catch (ObjectNotFoundException e) {
      throw new DatasetFormatException(
          "Dataset object s3://" + store.bucket() + "/" + key + " is missing although its manifest lists it. Delete"
              + " the dataset and import it again",
          e);
    }
    String actual = Sha256.hex(data);
    if (!actual.equals(expectedSha256)) {
      throw new DatasetIntegrityException(
          "Checksum mismatch for s3://" + store.bucket() + "/" + key + ": SHA-256 is " + actual + ", expected "
              + expectedSha256 + " from the manifest. The object is corrupt or was replaced; delete the dataset and"
              + " import it again");
    }

    writeCached(expectedSha256, data);
    return data;
  }

  private byte[] readCached(String key, String expectedSha256) {
    if (cacheDirectory == null) {
      return null;
    }
    Path file = cacheFile(expectedSha256);
    if (!Files.isRegularFile(file)) {
      return null;
    }

    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (IOException e) {
      LOG.warnf("Cannot read cached %s for %s, downloading it again: %s", file, key, e.getMessage());
      return null;
    }
    if (!Sha256.hex(data).equals(expectedSha256)) {
      LOG.warnf("Cached %s for %s does not match its SHA-256, downloading it again", file, key);
      return null;
    }
    LOG.debugf("Read %s from the dataset cache %s", key, file);
    return data;
  }

  private void writeCached(String sha256, byte[] data) {
    if (cacheDirectory == null) {
      return;
    }
    Path file = cacheFile(sha256);
    Path partial = null;
    try {
      // A temporary file and an atomic rename, so that a concurrent load never reads a half-written file.
      partial = Files.createTempFile(cacheDirectory, sha256, ".partial");
      Files.write(partial, data);
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warnf("Cannot write dataset cache file %s, later loads download again: %s", file, e.getMessage());
      deleteQuietly(partial);
    }
  }

  private static void deleteQuietly(Path partial) {
    if (partial == null) {
      return;
    }
    try {
      Files.deleteIfExists(partial);
    } catch (IOException e) {
      LOG.warnf("Cannot delete partial cache file %s: %s", partial, e.getMessage());
    }
  }

  private Path cacheFile(String sha256) {
    return cacheDirectory.resolve(sha256 + ".idx");
  }

  private DatasetManifest requireSameManifest(DatasetManifest stored, DatasetManifest uploaded) {
    if (!stored.equals(uploaded)) {
      throw new DatasetException(
          "Dataset '" + uploaded.name() + "' already exists in s3://" + store.bucket() + "/" + PREFIX + uploaded.name()
              + "/ with different content (images, classes, seed or sources). Choose another name, or delete it"
              + " with DatasetStore.delete when no service uses it");
    }
    LOG.infof("Dataset %s is already stored with the same manifest; nothing uploaded", uploaded.name());
    return stored;
  }
}
