package dev.paint.shared.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.paint.shared.dataset.LabeledImages;
import java.nio.ByteBuffer;

/** Turns stored uint8 images into float batches in [0, 1], each batch in its own native memory scope. */
public final class ImageBatches {

  private ImageBatches() {}

  /** Receives one batch: images [N, C, H, W] as float32, and their labels. */
  @FunctionalInterface
  public interface BatchConsumer {
    void accept(NDArray images, int[] labels);
  }

  /**
   * Calls {@code consumer} for consecutive batches of {@code images}, in the order of {@code order} when given. Each
   * batch's arrays are closed after the call, so the consumer must copy out what it keeps.
   */
  public static void forEachBatch(
      LabeledImages images, int batchSize, int[] order, NDManager manager, BatchConsumer consumer) {
    int imageBytes = images.channels() * images.height() * images.width();
    int count = order == null ? images.size() : order.length;
    byte[] pixels = new byte[batchSize * imageBytes];
    for (int start = 0; start < count; start += batchSize) {
      int size = Math.min(batchSize, count - start);
      int[] labels = new int[size];
      for (int i = 0; i < size; i++) {
        int index = order == null ? start + i : order[start + i];
        System.arraycopy(images.pixels(), index * imageBytes, pixels, i * imageBytes, imageBytes);
        labels[i] = images.labels()[index];
      }

      // A sub-manager per batch frees the batch's native memory before the next one is built.
      try (NDManager batchManager = manager.newSubManager()) {
        Shape shape = new Shape(size, images.channels(), images.height(), images.width());
        NDArray raw = batchManager.create(ByteBuffer.wrap(pixels, 0, size * imageBytes), shape, DataType.UINT8);
        NDArray batch = raw.toType(DataType.FLOAT32, false).divi(255f);
        consumer.accept(batch, labels);
      }
    }
  }
}
