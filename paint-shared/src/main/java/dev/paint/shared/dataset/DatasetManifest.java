package dev.paint.shared.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The JSON document {@link DatasetStore} writes last for each dataset. It names the objects of every split with their
 * SHA-256 digests, so that every service reads the same bytes and detects a corrupt object.
 *
 * @param formatVersion version of this layout, {@link #FORMAT_VERSION} for manifests this code writes
 * @param name dataset name
 * @param classNames class names in label order
 * @param channels channels per image
 * @param height rows per image
 * @param width columns per image
 * @param seed seed of the shuffle that drew the splits
 * @param splits one entry per split, keyed by {@link Split#key()}
 * @param sources SHA-256 in lowercase hex of each source file the dataset was imported from, by file name
 */
public record DatasetManifest(
    int formatVersion,
    String name,
    List<String> classNames,
    int channels,
    int height,
    int width,
    long seed,
    Map<String, SplitEntry> splits,
    Map<String, String> sources) {

  /** Version of the manifest layout and of the object layout it describes. */
  public static final int FORMAT_VERSION = 1;

  public DatasetManifest {
    Objects.requireNonNull(name, "name");
    classNames = List.copyOf(Objects.requireNonNull(classNames, "classNames"));
    splits = orderedSplits(Objects.requireNonNull(splits, "splits"));
    sources = Collections.unmodifiableMap(new TreeMap<>(sources == null ? Map.of() : sources));
  }

  /** Returns the entry of one split; fails when the manifest lacks it. */
  public SplitEntry split(Split split) {
    SplitEntry entry = splits.get(split.key());
    if (entry == null) {
      throw new DatasetFormatException(
          "Manifest of dataset '" + name + "' has no '" + split.key() + "' split; it lists " + splits.keySet()
              + ". Import the dataset again");
    }
    return entry;
  }

  /** Returns the shape of one image. */
  public ImageSize imageSize() {
    return new ImageSize(channels, height, width);
  }

  /** Keeps the splits in train, validation, test order so that the JSON is the same for the same dataset. */
  private static Map<String, SplitEntry> orderedSplits(Map<String, SplitEntry> splits) {
    Map<String, SplitEntry> ordered = new LinkedHashMap<>();
    for (Split split : Split.values()) {
      SplitEntry entry = splits.get(split.key());
      if (entry != null) {
        ordered.put(split.key(), entry);
      }
    }
    new TreeMap<>(splits).forEach(ordered::putIfAbsent);
    return Collections.unmodifiableMap(ordered);
  }

  /**
   * Object keys and SHA-256 digests of one split's two IDX objects.
   *
   * @param count number of images
   * @param imagesKey object key of the uncompressed IDX images
   * @param imagesSha256 SHA-256 in lowercase hex of the images object
   * @param labelsKey object key of the uncompressed IDX labels
   * @param labelsSha256 SHA-256 in lowercase hex of the labels object
   */
  public record SplitEntry(int count, String imagesKey, String imagesSha256, String labelsKey, String labelsSha256) {

    public SplitEntry {
      Objects.requireNonNull(imagesKey, "imagesKey");
      Objects.requireNonNull(imagesSha256, "imagesSha256");
      Objects.requireNonNull(labelsKey, "labelsKey");
      Objects.requireNonNull(labelsSha256, "labelsSha256");
    }
  }
}
