package dev.paint.shared.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paint.shared.checkpoint.SafetensorsFile;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.checkpoint.TensorSpec;
import dev.paint.shared.dataset.LabeledImages;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A frozen classification head: one L2-normalised class embedding per row, [classes, embeddingDim]. Logits are the
 * encoder's logit scale times the dot product of image and class embeddings, as in CLIP's zero-shot classifier. Stored
 * as a safetensors file with the single tensor {@value #TENSOR_NAME}.
 */
public record ClassificationHead(int classes, int embeddingDim, float[] weights) {

  public static final String TENSOR_NAME = "head";

  public ClassificationHead {
    if (weights.length != classes * embeddingDim) {
      throw new IllegalArgumentException(
          "Head weights have " + weights.length + " values, expected classes " + classes + " x embeddingDim "
              + embeddingDim);
    }
  }

  /** Random unit-norm class embeddings, a stand-in for text embeddings when pretraining a new encoder. */
  public static ClassificationHead random(int classes, int embeddingDim, long seed) {
    Random random = new Random(seed);
    float[] weights = new float[classes * embeddingDim];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) random.nextGaussian();
    }
    return new ClassificationHead(classes, embeddingDim, normalizeRows(weights, classes, embeddingDim));
  }

  /**
   * Builds a head from the mean embedding of each class, the way a task without text prompts gets class embeddings.
   * Fails when a class has no image, since its row would be undefined.
   */
  public static ClassificationHead fromClassMeans(Encoder encoder, LabeledImages images, int classes) {
    int dim = encoder.spec().embeddingDim();
    double[] sums = new double[classes * dim];
    int[] counts = new int[classes];
    EngineTurns.exclusively(() -> {
      ImageBatches.forEachBatch(images, AccuracyEvaluator.BATCH_SIZE, null, encoder.model().getNDManager(),
          (batch, labels) -> addEmbeddings(encoder.embed(batch).toFloatArray(), labels, dim, sums, counts));
      return null;
    });

    float[] weights = new float[classes * dim];
    for (int c = 0; c < classes; c++) {
      if (counts[c] == 0) {
        throw new IllegalArgumentException(
            "Cannot build a head from class means: class " + c + " has no training image; supply a head instead");
      }
      for (int d = 0; d < dim; d++) {
        weights[c * dim + d] = (float) (sums[c * dim + d] / counts[c]);
      }
    }
    return new ClassificationHead(classes, dim, normalizeRows(weights, classes, dim));
  }

  private static void addEmbeddings(float[] embeddings, int[] labels, int dim, double[] sums, int[] counts) {
    for (int i = 0; i < labels.length; i++) {
      counts[labels[i]]++;
      for (int d = 0; d < dim; d++) {
        sums[labels[i] * dim + d] += embeddings[i * dim + d];
      }
    }
  }

  /** Reads a head file, checking it against the task's class count and the encoder's embedding size. */
  public static ClassificationHead load(Path file, int expectedClasses, int expectedDim) {
    try (SafetensorsFile safetensors = SafetensorsFile.open(file)) {
      TensorSpec spec = safetensors.spec(TENSOR_NAME);
      long[] expected = {expectedClasses, expectedDim};
      if (!Arrays.equals(spec.shape(), expected)) {
        throw new IllegalArgumentException(
            "Head tensor '" + TENSOR_NAME + "' in " + file + " has shape " + Arrays.toString(spec.shape())
                + " but the task has " + expectedClasses + " classes and the encoder " + expectedDim
                + " embedding dimensions; its rows must match the class names in order");
      }
      safetensors.requireFinite();
      float[] weights = safetensors.read(TENSOR_NAME).toFloats();
      return new ClassificationHead(expectedClasses, expectedDim, normalizeRows(weights, expectedClasses, expectedDim));
    }
  }

  public void save(Path file, Map<String, String> metadata) {
    Tensor tensor = Tensor.ofFloats(TENSOR_NAME, new long[] {classes, embeddingDim}, weights);
    dev.paint.shared.checkpoint.SafetensorsWriter.write(file, List.of(tensor), metadata);
  }

  /** Returns the head as a [classes, embeddingDim] array owned by {@code manager}. */
  public NDArray toArray(NDManager manager) {
    return manager.create(weights, new Shape(classes, embeddingDim));
  }

  private static float[] normalizeRows(float[] weights, int rows, int columns) {
    float[] normalized = new float[weights.length];
    for (int r = 0; r < rows; r++) {
      double squares = 0;
      for (int c = 0; c < columns; c++) {
        squares += (double) weights[r * columns + c] * weights[r * columns + c];
      }
      double norm = Math.sqrt(squares);
      if (!(norm > 0) || !Double.isFinite(norm)) {
        throw new IllegalArgumentException("Head row " + r + " has norm " + norm + ": class embeddings must be finite"
            + " and non-zero");
      }
      for (int c = 0; c < columns; c++) {
        normalized[r * columns + c] = (float) (weights[r * columns + c] / norm);
      }
    }
    return normalized;
  }
}
