package dev.paint.bench.merge;

import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tensor names and shapes of the image tower of OpenAI's CLIP (the {@code visual.} part of its state dict): a patch
 * convolution, class and position embeddings, pre- and post-norms, residual attention blocks and the output
 * projection, plus the int64 {@code position_ids} buffer that Hugging Face exports keep.
 *
 * @param name the name the benchmark scripts use
 * @param width the residual width
 * @param layers the number of residual attention blocks
 * @param patchSize the side of a square image patch in pixels
 * @param imageSize the side of the square input image in pixels
 * @param embeddingSize the output dimension of {@code proj}
 */
public record ClipImageTower(String name, int width, int layers, int patchSize, int imageSize, int embeddingSize) {

  /** ViT-B/32 at 224 pixels: 87,849,216 parameters. */
  public static final ClipImageTower VIT_B_32 = new ClipImageTower("vit-b-32", 768, 12, 32, 224, 512);

  /** ViT-L/14 at 224 pixels: 303,966,208 parameters. */
  public static final ClipImageTower VIT_L_14 = new ClipImageTower("vit-l-14", 1024, 24, 14, 224, 768);

  /** A tower with the same tensor names and 0.9 M parameters, for the harness's smoke mode. */
  public static final ClipImageTower TINY = new ClipImageTower("tiny", 128, 4, 16, 64, 64);

  private static final List<ClipImageTower> ALL = List.of(VIT_B_32, VIT_L_14, TINY);

  /**
   * Returns the tower of this name.
   *
   * @throws IllegalArgumentException when no tower has this name, listing the names that exist
   */
  public static ClipImageTower byName(String name) {
    return ALL.stream().filter(tower -> tower.name.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Unknown image tower '" + name + "'; known towers are "
            + ALL.stream().map(ClipImageTower::name).collect(Collectors.joining(", ")) + "."));
  }

  /** Returns every tensor in state-dict order: floating-point weights in {@code dtype}, position ids in I64. */
  public List<TensorSpec> tensors(DType dtype) {
    int tokens = (imageSize / patchSize) * (imageSize / patchSize) + 1;
    List<TensorSpec> specs = new ArrayList<>();
    specs.add(spec("visual.class_embedding", dtype, width));
    specs.add(spec("visual.positional_embedding", dtype, tokens, width));
    specs.add(spec("visual.proj", dtype, width, embeddingSize));
    specs.add(spec("visual.conv1.weight", dtype, width, 3, patchSize, patchSize));
    specs.add(spec("visual.ln_pre.weight", dtype, width));
    specs.add(spec("visual.ln_pre.bias", dtype, width));
    for (int layer = 0; layer < layers; layer++) {
      String block = "visual.transformer.resblocks." + layer + ".";
      specs.add(spec(block + "attn.in_proj_weight", dtype, 3L * width, width));
      specs.add(spec(block + "attn.in_proj_bias", dtype, 3L * width));
      specs.add(spec(block + "attn.out_proj.weight", dtype, width, width));
      specs.add(spec(block + "attn.out_proj.bias", dtype, width));
      specs.add(spec(block + "ln_1.weight", dtype, width));
      specs.add(spec(block + "ln_1.bias", dtype, width));
      specs.add(spec(block + "mlp.c_fc.weight", dtype, 4L * width, width));
      specs.add(spec(block + "mlp.c_fc.bias", dtype, 4L * width));
      specs.add(spec(block + "mlp.c_proj.weight", dtype, width, 4L * width));
      specs.add(spec(block + "mlp.c_proj.bias", dtype, width));
      specs.add(spec(block + "ln_2.weight", dtype, width));
      specs.add(spec(block + "ln_2.bias", dtype, width));
    }
    specs.add(spec("visual.ln_post.weight", dtype, width));
    specs.add(spec("visual.ln_post.bias", dtype, width));
    specs.add(spec("visual.position_ids", DType.I64, 1, tokens));
    return specs;
  }

  /** Returns the number of floating-point parameters, which excludes the position ids. */
  public long parameterCount() {
    return tensors(DType.F32).stream()
        .filter(spec -> spec.dtype().isFloatingPoint())
        .mapToLong(TensorSpec::elementCount)
        .sum();
  }

  private static TensorSpec spec(String name, DType dtype, long... shape) {
    return new TensorSpec(name, dtype, Arrays.copyOf(shape, shape.length));
  }
}
