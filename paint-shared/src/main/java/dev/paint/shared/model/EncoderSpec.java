package dev.paint.shared.model;

import java.util.List;

/**
 * Architecture of a convolutional image encoder: 3x3 convolutions (each followed by ReLU and 2x2 max pooling), then
 * fully connected layers with ReLU, then a linear projection to the embedding, L2-normalised. No batch norm: its running
 * statistics drift to the patch task during fine-tuning, and interpolating them does not bring the old ones back.
 *
 * @param channels input image channels (1 for grayscale)
 * @param imageSize input height and width in pixels
 * @param convChannels output channels of each convolution
 * @param hiddenUnits units of each hidden fully connected layer
 * @param embeddingDim size of the L2-normalised embedding
 * @param logitScale logits are this scale times the cosine similarity between embedding and class embedding
 */
public record EncoderSpec(
    int channels, int imageSize, List<Integer> convChannels, List<Integer> hiddenUnits, int embeddingDim,
    double logitScale) {

  /** The built-in demo encoder: about 1.8 M parameters, fast enough to pretrain on two CPU cores. */
  public static final EncoderSpec DEMO = new EncoderSpec(1, 28, List.of(64, 128), List.of(256), 128, 20.0);

  public EncoderSpec {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("Invalid encoder channels " + channels + ": use 1 (grayscale) or 3 (RGB)");
    }
    if (convChannels == null || hiddenUnits == null) {
      throw new IllegalArgumentException("Missing encoder convChannels or hiddenUnits: use an empty list for none");
    }
    convChannels = List.copyOf(convChannels);
    hiddenUnits = List.copyOf(hiddenUnits);
    int pooledSize = imageSize >> convChannels.size();
    if (pooledSize < 1) {
      throw new IllegalArgumentException(
          "Invalid encoder: imageSize " + imageSize + " is too small for " + convChannels.size()
              + " 2x2 poolings; use fewer convolutions or a larger input");
    }
    if (embeddingDim < 1 || !(logitScale > 0)) {
      throw new IllegalArgumentException(
          "Invalid encoder: embeddingDim " + embeddingDim + " and logitScale " + logitScale + " must be positive");
    }
  }
}
