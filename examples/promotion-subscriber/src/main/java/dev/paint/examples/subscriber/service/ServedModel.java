package dev.paint.examples.subscriber.service;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loaded model version: the encoder in native memory and the head of every task. Owned by {@link
 * ServedModelHolder}, which closes it once no request uses it any more.
 *
 * @param promotedAt when the registry promoted this version, null when the event did not say
 */
public record ServedModel(
    String modelName,
    int version,
    String encoderSha256,
    Instant promotedAt,
    Encoder encoder,
    Map<String, ServedTask> tasks) implements AutoCloseable {

  public ServedModel {
    tasks = Map.copyOf(tasks);
  }

  /** Number of pixel values one image has: channels x height x width. */
  public int pixelsPerImage() {
    EncoderSpec spec = encoder.spec();
    return spec.channels() * spec.imageSize() * spec.imageSize();
  }

  /**
   * Returns the predicted class name of each image. {@code pixels} contains {@code count} images as [N, C, H, W] values
   * from 0 to 255. The caller has checked the task, the count and the length.
   */
  public List<String> classify(ServedTask task, int[] pixels, int count) {
    EncoderSpec spec = encoder.spec();
    float[] scaled = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      // Training scales uint8 pixels to [0, 1] the same way (ImageBatches).
      scaled[i] = pixels[i] / 255f;
    }

    long[] predicted;
    // A sub-manager per request frees the batch's native memory when the request ends.
    try (NDManager manager = encoder.model().getNDManager().newSubManager()) {
      NDArray images = manager.create(scaled, new Shape(count, spec.channels(), spec.imageSize(), spec.imageSize()));
      NDArray classEmbeddings = task.head().toArray(manager).transpose();
      predicted = encoder.embed(images).matMul(classEmbeddings).argMax(1).toLongArray();
    }

    List<String> names = new ArrayList<>(predicted.length);
    for (long index : predicted) {
      names.add(task.classNames().get((int) index));
    }
    return names;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
