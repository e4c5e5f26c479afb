package dev.paint.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.demo.RegistryClient;
import dev.paint.shared.checkpoint.CheckpointException;
import dev.paint.shared.checkpoint.CheckpointManifest;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetNotFoundException;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.json.Json;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.ObjectStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code register-model}: checks an encoder checkpoint and the heads of its supported tasks locally, uploads them, and
 * registers them with registry-service as the model's next version. Nothing is uploaded unless every check passes.
 */
public final class RegisterModelCommand implements Command {

  static final String MODEL = "--model";
  static final String ENCODER = "--encoder";
  static final String ARCHITECTURE = "--architecture";
  static final String HEAD = "--head";
  static final String NO_PROMOTE = "--no-promote";

  /** The fields of an {@link EncoderSpec} in JSON; a missing number would otherwise read as 0. */
  static final List<String> ARCHITECTURE_FIELDS =
      List.of("channels", "imageSize", "convChannels", "hiddenUnits", "embeddingDim", "logitScale");

  /** A parsed {@code register-model} command line. */
  record Request(String model, Path encoder, Path architecture, List<HeadArgument> heads, boolean promote) {}

  /**
   * A head that passed the local checks.
   *
   * @param stored the head already in the object store under its key with the same SHA-256, or null when it must be
   *     uploaded
   */
  record CheckedHead(HeadArgument argument, List<String> classNames, String key, CheckpointRef stored) {}

  @Override
  public String name() {
    return "register-model";
  }

  @Override
  public String summary() {
    return "upload an encoder and its task heads and register them as a model version";
  }

  @Override
  public String synopsis() {
    return "--model NAME --encoder FILE --architecture FILE --head TASK=DATASET=FILE";
  }

  @Override
  public String description() {
    return String.join(" ",
        "Checks that the encoder loads with the architecture (an EncoderSpec as JSON: channels, imageSize,",
        "convChannels, hiddenUnits, embeddingDim, logitScale), that each dataset's images have the encoder's input",
        "size and that each head is a tensor 'head' of shape [classes of its dataset, embeddingDim]. Only then it",
        "uploads the encoder to models/NAME/imports/<id>/encoder.safetensors (a sharded encoder to",
        "models/NAME/imports/<id>/encoder.safetensors.index.json with its shards beside it) and each head to",
        "models/NAME/heads/TASK.safetensors, and registers them with POST /models/NAME/versions. A head already",
        "stored for the task is reused when its SHA-256 is the same and rejected otherwise, because registered",
        "versions use it. The model's first version is always deployed.");
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.value(MODEL, "NAME", "model name: 1 to 128 letters, digits, '.', '_' or '-'"),
        OptionSpec.value(ENCODER, "FILE", "encoder checkpoint: a safetensors file, or the index file (name ending"
            + " with " + Checkpoints.INDEX_SUFFIX + ") of a sharded checkpoint whose shards are beside it"),
        OptionSpec.value(ARCHITECTURE, "FILE", "the encoder's EncoderSpec as JSON"),
        OptionSpec.repeated(HEAD, "TASK=DATASET=FILE", "a supported task, its imported dataset and its head's"
            + " safetensors file; repeat for each task"),
        OptionSpec.flag(NO_PROMOTE, "keep the deployed version; by default the new version is deployed"));
  }

  @Override
  public void run(ParsedOptions options, Map<String, String> environment, PrintStream out) {
    Request request = parse(options);
    ConnectionOptions connections = new ConnectionOptions(options, environment);
    ObjectStore store = ObjectStore.connect(connections.objectStore());
    URI registryUrl = connections.registryUrl();
    EncoderSpec spec = readArchitecture(request.architecture());

    CheckpointStore checkpoints = new CheckpointStore(store);
    List<CheckedHead> heads = checkHeads(request, spec, new DatasetStore(store), checkpoints, out);
    checkEncoder(request, spec, out);

    store.ensureBucket();
    String uploadId = UUID.randomUUID().toString();
    String encoderKey = Checkpoints.isSharded(request.encoder())
        ? ObjectKeys.importedShardedEncoder(request.model(), uploadId)
        : ObjectKeys.importedEncoder(request.model(), uploadId);
    CheckpointRef encoder = checkpoints.upload(encoderKey, request.encoder());
    out.printf("Uploaded encoder to s3://%s/%s (SHA-256 %s)%n", store.bucket(), encoder.key(), encoder.sha256());
    List<TaskHead> tasks = uploadHeads(heads, checkpoints, out);

    RegistryClient registry = new RegistryClient(registryUrl, connections.registryApiToken());
    int version = registry.register(request.model(),
        new RegistryClient.RegisterModelVersion(encoder, spec, tasks, Map.of(), request.promote()));
    DeployedModel deployed = registry.deployed(request.model());
    out.printf("Registered model %s version %d at %s; the deployed version is %d%n", request.model(), version,
        registryUrl, deployed.version());
  }

  static Request parse(ParsedOptions options) {
    options.required(MODEL, "the name of the model to register, such as " + MODEL + " my-classifier");
    String model = options.validate(MODEL, name -> EventValidation.requireId(name, "model name"));
    Path encoder = existingFile(ENCODER,
        options.required(ENCODER, "the encoder's safetensors file, or the index file of a sharded encoder"));
    Path architecture = existingFile(ARCHITECTURE, options.required(ARCHITECTURE, "the encoder's EncoderSpec as JSON"));

    List<String> headValues = options.values(HEAD);
    if (headValues.isEmpty()) {
      throw new UsageException("Missing option " + HEAD + " for command register-model: give TASK=DATASET=FILE for"
          + " each supported task of the model");
    }
    List<HeadArgument> heads = new ArrayList<>();
    Set<String> taskNames = new HashSet<>();
    for (String value : headValues) {
      HeadArgument head = ParsedOptions.validateValue(HEAD, value, HeadArgument::parse);
      existingFile(HEAD, head.file().toString());
      if (!taskNames.add(head.task())) {
        throw new UsageException("Task '" + head.task() + "' is given twice with " + HEAD + ": give one head per task");
      }
      heads.add(head);
    }
    return new Request(model, encoder, architecture, List.copyOf(heads), !options.flag(NO_PROMOTE));
  }

  /** Reads an EncoderSpec from JSON, requiring every field so that a typo does not become a 0. */
  static EncoderSpec readArchitecture(Path file) {
    JsonNode tree;
    try {
      tree = Json.mapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CommandFailedException("Cannot read architecture " + file + " as JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new CommandFailedException("Architecture " + file + " is not a JSON object: give an EncoderSpec such as "
          + Json.write(EncoderSpec.DEMO));
    }
    for (String field : ARCHITECTURE_FIELDS) {
      if (!tree.hasNonNull(field)) {
        throw new CommandFailedException("Architecture " + file + " lacks field '" + field + "': an EncoderSpec has "
            + String.join(", ", ARCHITECTURE_FIELDS) + ", such as " + Json.write(EncoderSpec.DEMO));
      }
    }

    try {
      return Json.mapper().treeToValue(tree, EncoderSpec.class);
    } catch (IOException e) {
      Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
      throw new CommandFailedException("Invalid architecture " + file + ": " + cause.getMessage(), e);
    }
  }

  /** Checks every head against its dataset's manifest and the object store, before anything is uploaded. */
  private static List<CheckedHead> checkHeads(
      Request request, EncoderSpec spec, DatasetStore datasets, CheckpointStore checkpoints, PrintStream out) {
    List<CheckedHead> checked = new ArrayList<>();
    for (HeadArgument head : request.heads()) {
      DatasetManifest manifest = manifest(head, datasets);
      requireEncoderInput(head, manifest, spec);
      requireHeadShape(head, manifest, spec);
      String key = ObjectKeys.head(request.model(), head.task());
      CheckpointRef stored = storedHead(head, key, checkpoints);
      checked.add(new CheckedHead(head, manifest.classNames(), key, stored));
      out.printf("Checked head of task '%s' in %s: [%d, %d] for the %d classes of dataset %s%n", head.task(),
          head.file(), manifest.classNames().size(), spec.embeddingDim(), manifest.classNames().size(),
          head.dataset());
    }
    return checked;
  }

  private static DatasetManifest manifest(HeadArgument head, DatasetStore datasets) {
    try {
      return datasets.manifest(head.dataset());
    } catch (DatasetNotFoundException e) {
      throw new CommandFailedException("Dataset '" + head.dataset() + "' of task '" + head.task() + "' is not in the"
          + " object store: import it first with " + PaintCli.PROGRAM + " import-dataset --name " + head.dataset()
          + "; nothing was uploaded", e);
    }
  }

  private static void requireEncoderInput(HeadArgument head, DatasetManifest manifest, EncoderSpec spec) {
    boolean fits = manifest.channels() == spec.channels()
        && manifest.height() == spec.imageSize()
        && manifest.width() == spec.imageSize();
    if (!fits) {
      throw new CommandFailedException("Dataset '" + head.dataset() + "' of task '" + head.task() + "' has images of "
          + manifest.imageSize() + ", but the encoder reads " + spec.channels() + "x" + spec.imageSize() + "x"
          + spec.imageSize() + ": import it again under another name with --channels " + spec.channels()
          + " --size " + spec.imageSize() + "; nothing was uploaded");
    }
  }

  private static void requireHeadShape(HeadArgument head, DatasetManifest manifest, EncoderSpec spec) {
    try {
      ClassificationHead.load(head.file(), manifest.classNames().size(), spec.embeddingDim());
    } catch (IllegalArgumentException | CheckpointException e) {
      throw new CommandFailedException("Invalid head for task '" + head.task() + "' (dataset " + head.dataset() + ", "
          + manifest.classNames().size() + " classes): " + e.getMessage() + "; nothing was uploaded", e);
    }
  }

  /**
   * Returns the head already stored under {@code key} when it is this file, null when none is stored, and rejects a
   * different one: the versions registered with it verify its SHA-256 on every download.
   */
  private static CheckpointRef storedHead(HeadArgument head, String key, CheckpointStore checkpoints) {
    CheckpointRef stored = checkpoints.find(key);
    if (stored == null) {
      return null;
    }
    String local = CheckpointManifest.describe(head.file()).sha256();
    if (!stored.sha256().equals(local)) {
      throw new CommandFailedException("Head s3://" + checkpoints.objectStore().bucket() + "/" + key + " of task '"
          + head.task() + "' is already stored with SHA-256 " + stored.sha256() + ", but " + head.file() + " has "
          + local + ": registered versions use the stored head, so give this head another task name; nothing was"
          + " uploaded");
    }
    return stored;
  }

  private static void checkEncoder(Request request, EncoderSpec spec, PrintStream out) {
    // The weights live in PyTorch's native memory, which only close() frees.
    try (Encoder encoder = Encoder.load(spec, request.encoder(), Device.cpu())) {
      out.printf(Locale.ROOT, "Checked encoder %s: %,d parameters load with architecture %s%n", request.encoder(),
          encoder.parameterCount(), request.architecture());
    } catch (IllegalArgumentException | CheckpointException e) {
      throw new CommandFailedException("Encoder " + request.encoder() + " does not load with architecture "
          + request.architecture() + ": " + e.getMessage() + "; nothing was uploaded", e);
    }
  }

  private static List<TaskHead> uploadHeads(List<CheckedHead> heads, CheckpointStore checkpoints, PrintStream out) {
    String bucket = checkpoints.objectStore().bucket();
    List<TaskHead> tasks = new ArrayList<>();
    for (CheckedHead head : heads) {
      CheckpointRef ref = head.stored();
      if (ref == null) {
        ref = checkpoints.upload(head.key(), head.argument().file());
        out.printf("Uploaded head of task '%s' to s3://%s/%s (SHA-256 %s)%n", head.argument().task(), bucket,
            ref.key(), ref.sha256());
      } else {
        out.printf("Head of task '%s' is already stored as s3://%s/%s with the same SHA-256; reused%n",
            head.argument().task(), bucket, ref.key());
      }
      tasks.add(new TaskHead(head.argument().task(), head.argument().dataset(), head.classNames(), ref,
          TaskRole.SUPPORTED));
    }
    return tasks;
  }

  private static Path existingFile(String option, String value) {
    Path file = Path.of(value);
    if (!Files.isRegularFile(file)) {
      throw new UsageException(option + ": file " + file.toAbsolutePath() + " not found; give the path of an existing"
          + " file");
    }
    return file;
  }
}
