package dev.paint.shared.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.paint.shared.checkpoint.DType;
import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.CheckpointShard;
import dev.paint.shared.checkpoint.CheckpointWriter;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.checkpoint.Tensor;
import dev.paint.shared.checkpoint.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image encoder built from an {@link EncoderSpec}, with its weights in native memory. Tensor names follow PyTorch's
 * conventions ({@code conv0.weight}, {@code fc0.bias}, {@code proj.weight}) so that a checkpoint written with PyTorch
 * loads unchanged. Close it to free the native memory.
 */
public final class Encoder implements AutoCloseable {

  private static final float NORM_EPSILON = 1e-12f;

  private final EncoderSpec spec;
  private final Model model;
  private final Map<String, Parameter> parameters;

  private Encoder(EncoderSpec spec, Model model, Map<String, Parameter> parameters) {
    this.spec = spec;
    this.model = model;
    this.parameters = parameters;
  }

  /** Builds an encoder with freshly initialised weights; the same seed gives the same weights. */
  public static Encoder create(EncoderSpec spec, Device device, long seed) {
    return EngineTurns.exclusively(() -> build(spec, device, seed));
  }

  private static Encoder build(EncoderSpec spec, Device device, long seed) {
    Engine.getInstance().setRandomSeed((int) seed);
    Model model = Model.newInstance("encoder", device);
    Map<String, Parameter> parameters = new LinkedHashMap<>();
    SequentialBlock block = buildBlock(spec, parameters);
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape(spec, 1));
    return new Encoder(spec, model, Collections.unmodifiableMap(parameters));
  }

  /**
   * Builds an encoder and loads its weights from a safetensors checkpoint, checking every name and shape. A path
   * ending with {@value Checkpoints#INDEX_SUFFIX} is read as a sharded checkpoint.
   */
  public static Encoder load(EncoderSpec spec, Path checkpoint, Device device) {
    Encoder encoder = create(spec, device, 0);
    try (Checkpoint file = Checkpoints.open(checkpoint)) {
      encoder.loadWeights(file);
      return encoder;
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  public EncoderSpec spec() {
    return spec;
  }

  public Model model() {
    return model;
  }

  public Device device() {
    return model.getNDManager().getDevice();
  }

  /** Returns the weights by tensor name, in declaration order, which is also the tensor order of a saved checkpoint. */
  public Map<String, Parameter> parameters() {
    return parameters;
  }

  public long parameterCount() {
    return parameters.values().stream().mapToLong(p -> p.getArray().size()).sum();
  }

  /** Embeds a batch of images, [N, C, H, W] floats in [0, 1], without recording gradients. */
  public NDArray embed(NDArray images) {
    return EngineTurns.exclusively(() -> {
      ParameterStore store = new ParameterStore(images.getManager(), false);
      return model.getBlock().forward(store, new NDList(images), false).singletonOrThrow();
    });
  }

  /**
   * Writes the weights as float32 tensors to a safetensors file, or as a sharded checkpoint with one shard per layer
   * ({@code encoder-00001-of-00003.safetensors} and so on beside the index) when {@code file} ends with
   * {@value Checkpoints#INDEX_SUFFIX}.
   */
  public void save(Path file, Map<String, String> metadata) {
    List<TensorSpec> tensors = tensorSpecs(parameters.keySet());
    String fileName = file.getFileName().toString();
    List<CheckpointShard> layout = Checkpoints.isSharded(file)
        ? CheckpointShard.byLayer(fileName, tensors)
        : List.of(new CheckpointShard(fileName, tensors));
    write(file, layout, metadata);
  }

  /**
   * Writes the weights as float32 tensors to the sharded checkpoint whose index is {@code index}, in the layout of
   * another checkpoint of this encoder: the same shard file names, each with the same tensors.
   *
   * @param like the shards of that checkpoint, whose tensor names must be exactly the encoder's
   * @throws IllegalArgumentException when {@code like} names other tensors than the encoder's
   */
  public void save(Path index, Map<String, String> metadata, List<CheckpointShard> like) {
    List<String> names = like.stream().flatMap(shard -> shard.tensors().stream()).map(TensorSpec::name).toList();
    if (names.size() != parameters.size() || !parameters.keySet().containsAll(names)) {
      throw new IllegalArgumentException("Shard layout for " + index + " has tensors " + names + " but the encoder has "
          + parameters.keySet() + " for " + spec + "; pass the layout of a checkpoint of this encoder.");
    }

    List<CheckpointShard> layout = like.stream()
        .map(shard -> new CheckpointShard(shard.fileName(),
            tensorSpecs(shard.tensors().stream().map(TensorSpec::name).toList())))
        .toList();
    write(index, layout, metadata);
  }

  /** Writes every tensor in layout order, the order in which the writer expects the data. */
  private void write(Path file, List<CheckpointShard> layout, Map<String, String> metadata) {
    try (CheckpointWriter writer = Checkpoints.createWriter(file, layout, metadata)) {
      for (CheckpointShard shard : layout) {
        for (TensorSpec tensor : shard.tensors()) {
          float[] values = parameters.get(tensor.name()).getArray().toFloatArray();
          ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          data.asFloatBuffer().put(values);
          writer.write(tensor.name(), data);
        }
      }
    }
  }

  private List<TensorSpec> tensorSpecs(Collection<String> names) {
    List<TensorSpec> specs = new ArrayList<>();
    for (String name : names) {
      specs.add(new TensorSpec(name, DType.F32, parameters.get(name).getArray().getShape().getShape()));
    }
    return specs;
  }

  private void loadWeights(Checkpoint file) {
    List<String> unexpected = new ArrayList<>();
    for (TensorSpec tensor : file.tensors()) {
      if (!parameters.containsKey(tensor.name())) {
        unexpected.add(tensor.name());
      }
    }
    if (!unexpected.isEmpty()) {
      throw new IllegalArgumentException(
          "Checkpoint " + file.path() + " has tensors the encoder does not: " + unexpected + "; expected exactly "
              + parameters.keySet() + " for " + spec);
    }

    for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
      String name = entry.getKey();
      NDArray array = entry.getValue().getArray();
      TensorSpec tensor = file.spec(name);
      long[] expected = array.getShape().getShape();
      if (!Arrays.equals(tensor.shape(), expected)) {
        throw new IllegalArgumentException(
            "Tensor " + name + " in " + file.path() + " has shape " + Arrays.toString(tensor.shape())
                + " but the encoder expects " + Arrays.toString(expected) + " for " + spec);
      }
      Tensor values = file.read(name);
      array.set(values.toFloats());
    }
  }

  static Shape inputShape(EncoderSpec spec, long batch) {
    return new Shape(batch, spec.channels(), spec.imageSize(), spec.imageSize());
  }

  private static SequentialBlock buildBlock(EncoderSpec spec, Map<String, Parameter> named) {
    SequentialBlock block = new SequentialBlock();
    List<Map.Entry<String, Block>> layers = new ArrayList<>();
    for (int i = 0; i < spec.convChannels().size(); i++) {
      Block conv =
          Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
              .setFilters(spec.convChannels().get(i)).build();
      layers.add(Map.entry("conv" + i, conv));
      // Pooling before ReLU computes the same function as the usual conv, ReLU, pool order, because ReLU is monotonic
      // and so commutes with max. ReLU then runs on a quarter of the values.
      block.add(conv).add(new MaxPool2x2Block()).add(Activation.reluBlock());
    }
    block.add(Blocks.batchFlattenBlock());
    for (int i = 0; i < spec.hiddenUnits().size(); i++) {
      Block linear = Linear.builder().setUnits(spec.hiddenUnits().get(i)).build();
      layers.add(Map.entry("fc" + i, linear));
      block.add(linear).add(Activation.reluBlock());
    }
    Block projection = Linear.builder().setUnits(spec.embeddingDim()).build();
    layers.add(Map.entry("proj", projection));
    block.add(projection);
    block.add(new LambdaBlock(list -> new NDList(l2Normalize(list.singletonOrThrow())), "l2_normalize"));

    for (Map.Entry<String, Block> layer : layers) {
      layer.getValue().getParameters()
          .forEach(pair -> named.put(layer.getKey() + "." + pair.getValue().getName(), pair.getValue()));
    }
    return block;
  }

  /**
   * Takes the maximum of each 2x2 window with stride 2, dropping an odd last row or column, as 2x2 max pooling does.
   * It is the element-wise maximum of the four strided views of the windows. With PyTorch 2.7.1 on one CPU thread that
   * took about 2 ms for a [64, 64, 28, 28] array where max_pool2d, which also computes the indices for its backward
   * pass, took about 22 ms. The output is equal. At a tie the gradient is shared among the tied inputs instead of
   * going to the first one, but the sum reaching the window is the same.
   */
  public static NDArray maxPool2x2(NDArray input) {
    long height = input.getShape().get(2) / 2 * 2;
    long width = input.getShape().get(3) / 2 * 2;
    NDArray topLeft = input.get(":, :, 0:" + height + ":2, 0:" + width + ":2");
    NDArray topRight = input.get(":, :, 0:" + height + ":2, 1:" + width + ":2");
    NDArray bottomLeft = input.get(":, :, 1:" + height + ":2, 0:" + width + ":2");
    NDArray bottomRight = input.get(":, :, 1:" + height + ":2, 1:" + width + ":2");
    return topLeft.maximum(topRight).maximum(bottomLeft.maximum(bottomRight));
  }

  /**
   * 2x2 max pooling with stride 2 that uses {@link #maxPool2x2} for inference and max_pool2d for training. The
   * backward pass of max_pool2d scatters through the indices it saved, while the backward pass of the four strided
   * views zero-fills and adds four full-size arrays: with PyTorch 2.7.1 that made a demo training step slower.
   */
  private static final class MaxPool2x2Block extends AbstractBlock {

    private static final Shape WINDOW = new Shape(2, 2);

    @Override
    protected NDList forwardInternal(
        ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
      NDArray input = inputs.singletonOrThrow();
      if (training) {
        return new NDList(Pool.maxPool2d(input, WINDOW, WINDOW, new Shape(0, 0), false));
      }
      return new NDList(maxPool2x2(input));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
      Shape input = inputs[0];
      return new Shape[] {new Shape(input.get(0), input.get(1), input.get(2) / 2, input.get(3) / 2)};
    }
  }

  /** Divides each row by its L2 norm, the normalisation CLIP applies to image and text embeddings. */
  public static NDArray l2Normalize(NDArray embeddings) {
    NDArray norm = embeddings.square().sum(new int[] {1}, true).sqrt().add(NORM_EPSILON);
    return embeddings.div(norm);
  }

  @Override
  public void close() {
    model.close();
  }
}
