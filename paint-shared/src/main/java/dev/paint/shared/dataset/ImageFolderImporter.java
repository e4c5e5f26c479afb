package dev.paint.shared.dataset;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads the ImageFolder layout: one sub-directory per class, named after the class, with PNG or JPEG files. Classes
 * are numbered in sorted name order and images in sorted file name order, so the same folder always gives the same
 * bytes. Hidden files (names starting with '.') are ignored and any other file fails the import.
 */
final class ImageFolderImporter {

  static final String TRAIN_DIRECTORY = "train";
  static final String TEST_DIRECTORY = "test";
  static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg");

  private final Path root;
  private final ImageSize size;
  private final SourceFiles sources;

  ImageFolderImporter(Path root, ImageSize size, SourceFiles sources) {
    this.root = root;
    this.size = size;
    this.sources = sources;
  }

  RawDataset read() {
    DatasetImporters.requireDirectory(root, "ImageFolder");
    List<String> names = classNames(root);

    if (names.size() == 2 && names.containsAll(List.of(TRAIN_DIRECTORY, TEST_DIRECTORY))) {
      Path trainRoot = root.resolve(TRAIN_DIRECTORY);
      Path testRoot = root.resolve(TEST_DIRECTORY);
      List<String> classNames = classNames(trainRoot);
      List<String> testClassNames = classNames(testRoot);
      if (!testClassNames.equals(classNames)) {
        throw new DatasetFormatException(
            "Class directories differ between " + trainRoot + " " + classNames + " and " + testRoot + " "
                + testClassNames + ": give both splits the same class directories");
      }
      return new RawDataset(
          classNames, readSplit(trainRoot, classNames), readSplit(testRoot, classNames), sources.checksums());
    }

    return new RawDataset(names, readSplit(root, names), null, sources.checksums());
  }

  /** Returns the sorted sub-directory names of {@code splitRoot}, which must contain nothing else. */
  private static List<String> classNames(Path splitRoot) {
    List<Path> entries = visibleEntries(splitRoot);
    for (Path entry : entries) {
      if (!Files.isDirectory(entry)) {
        throw new DatasetFormatException(
            "Unexpected file " + entry + " in ImageFolder root " + splitRoot + ": put images in one sub-directory"
                + " per class");
      }
    }
    if (entries.isEmpty()) {
      throw new DatasetFormatException(
          "ImageFolder root " + splitRoot + " has no class directories: create one sub-directory per class with its"
              + " PNG or JPEG images");
    }
    return entries.stream().map(ImageFolderImporter::fileName).toList();
  }

  private LabeledImages readSplit(Path splitRoot, List<String> classNames) {
    ByteArrayOutputStream pixels = new ByteArrayOutputStream();
    IntStream.Builder labels = IntStream.builder();

    for (int label = 0; label < classNames.size(); label++) {
      Path classDirectory = splitRoot.resolve(classNames.get(label));
      List<Path> files = visibleEntries(classDirectory);
      if (files.isEmpty()) {
        throw new DatasetFormatException(
            "Class directory " + classDirectory + " contains no images: add PNG or JPEG files or remove the directory");
      }
      for (Path file : files) {
        pixels.writeBytes(readImage(file));
        labels.add(label);
      }
    }

    return new LabeledImages(
        size.channels(), size.height(), size.width(), pixels.toByteArray(), labels.build().toArray());
  }

  private byte[] readImage(Path file) {
    String extension = extension(file);
    if (!Files.isRegularFile(file) || !IMAGE_EXTENSIONS.contains(extension)) {
      throw new DatasetFormatException(
          "Unsupported file " + file + ": class directories may contain only .png, .jpg and .jpeg files");
    }

    String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
    BufferedImage image = decode(sources.read(file, name), file);

    byte[] planes = toPlanes(image, size.channels());
    return ImageResizer.resizeImage(planes, size.channels(), image.getHeight(), image.getWidth(), size);
  }

  private static BufferedImage decode(byte[] data, Path file) {
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(data));
    } catch (IOException | RuntimeException e) {
      // Decoders throw unchecked exceptions for some corrupt inputs too; both mean the same to the user.
      throw new DatasetFormatException(
          "Cannot decode image " + file + ": " + e.getMessage() + ". Replace the file with a valid PNG or JPEG or"
              + " remove it",
          e);
    }
    if (image == null) {
      throw new DatasetFormatException(
          "Cannot decode image " + file + ": it is not a PNG or JPEG file that javax.imageio can read. Replace or"
              + " remove it");
    }
    return image;
  }

  /**
   * Returns the image as CHW planes with {@code channels} channels. Alpha is dropped. Grayscale images are read from
   * their raster because {@link BufferedImage#getRGB} would convert linear gray to sRGB and change the values.
   */
  static byte[] toPlanes(BufferedImage image, int channels) {
    int height = image.getHeight();
    int width = image.getWidth();
    int planeSize = height * width;

    ColorModel colorModel = image.getColorModel();
    if (colorModel instanceof ComponentColorModel
        && colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY
        && colorModel.getNumColorComponents() == 1) {
      byte[] gray = grayPlane(image.getRaster(), colorModel.getComponentSize(0));
      return ImageResizer.convertChannels(gray, 1, planeSize, channels);
    }

    byte[] rgb = new byte[3 * planeSize];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int argb = image.getRGB(x, y);
        int p = y * width + x;
        rgb[p] = (byte) (argb >> 16);
        rgb[planeSize + p] = (byte) (argb >> 8);
        rgb[2 * planeSize + p] = (byte) argb;
      }
    }
    return ImageResizer.convertChannels(rgb, 3, planeSize, channels);
  }

  private static byte[] grayPlane(Raster raster, int bits) {
    int height = raster.getHeight();
    int width = raster.getWidth();
    double maxSample = (1L << bits) - 1;
    byte[] gray = new byte[height * width];

    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int sample = raster.getSample(raster.getMinX() + x, raster.getMinY() + y, 0);
        gray[y * width + x] = (byte) (bits == 8 ? sample : Math.round(sample * 255 / maxSample));
      }
    }
    return gray;
  }

  /** Lists non-hidden entries sorted by name, so that the order does not depend on the file system. */
  private static List<Path> visibleEntries(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries
          .filter(entry -> !fileName(entry).startsWith("."))
          .sorted((a, b) -> fileName(a).compareTo(fileName(b)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list directory " + directory + ": " + e.getMessage(), e);
    }
  }

  private static String fileName(Path path) {
    return path.getFileName().toString();
  }

  private static String extension(Path file) {
    String name = fileName(file);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
