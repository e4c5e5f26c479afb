package dev.paint.trainer.service;

import dev.paint.shared.checkpoint.Checkpoint;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetNotFoundException;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.dataset.LabeledImages;
import dev.paint.shared.dataset.Split;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TaskRole;
import dev.paint.shared.event.TrainingSummary;
import dev.paint.shared.model.ClassificationHead;
import dev.paint.shared.model.Devices;
import dev.paint.shared.model.Encoder;
import dev.paint.shared.model.EncoderSpec;
import dev.paint.shared.model.EncoderTrainer;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.WorkDirectory;
import dev.paint.trainer.client.RegistryClient;
import dev.paint.trainer.config.TrainerConfig;
import ai.djl.Device;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Fine-tunes the deployed encoder of a model on a patch task's training split, with the task's classification head
 * frozen, and stores the result. The deployed version is read once, at the start, and travels with the result: later
 * stages mix against exactly that version.
 */
@ApplicationScoped
public class FineTuningService {

  private static final Logger LOG = Logger.getLogger(FineTuningService.class);

  @Inject @RestClient RegistryClient registry;
  @Inject CheckpointStore checkpoints;
  @Inject DatasetStore datasets;
  @Inject TrainerConfig config;
  @Inject TrainingMetrics metrics;

  /**
   * Runs one patch task's fine-tuning.
   *
   * @throws InvalidEventException when the task names an unknown model or dataset, or its classes do not match
   */
  public EncoderFineTuned fineTune(PatchTaskSubmitted task) {
    DeployedModel base = deployedModel(task.modelName());
    requireCompatibleDataset(task, base.architecture());
    Hyperparameters hyperparameters = task.hyperparameters().orDefaults(defaults());
    Device device = Devices.select(config.preferGpu());

    try (WorkDirectory workDirectory =
            WorkDirectory.create(config.workDirectory(), "paint-trainer-" + task.taskId() + "-",
                "paint.trainer.work-directory");
        Encoder encoder = loadEncoder(base, device, workDirectory)) {
      LabeledImages train = datasets.load(task.dataset(), Split.TRAIN);
      HeadAndTask head = resolveHead(task, base, encoder, train, workDirectory);

      LOG.infof("Fine-tuning %s v%d on task %s (%s, %d images) on %s with %s", task.modelName(), base.version(),
          task.taskId(), task.dataset(), train.size(), Devices.kind(device), hyperparameters);
      EncoderTrainer.Result result = EncoderTrainer.train(encoder, head.head(), train, hyperparameters,
          (epoch, epochs, loss, rate) -> metrics.epochFinished(task.modelName(), epoch, loss, rate));
      metrics.trainingFinished(task.modelName(), Devices.kind(device), result);

      Path output = saveFineTuned(encoder, task, base, workDirectory);
      String key = Checkpoints.isSharded(output)
          ? ObjectKeys.fineTunedShardedEncoder(task.modelName(), task.taskId())
          : ObjectKeys.fineTunedEncoder(task.modelName(), task.taskId());
      CheckpointRef fineTuned = checkpoints.upload(key, output);
      LOG.infof("Stored fine-tuned encoder of task %s at %s (loss %.4f, %.0f images/s)", task.taskId(),
          fineTuned.key(), result.finalLoss(), result.imagesPerSecond());

      TrainingSummary summary = new TrainingSummary(hyperparameters, result.steps(), result.finalLoss(),
          result.images(), result.imagesPerSecond(), result.durationMillis(), Devices.kind(device));
      return new EncoderFineTuned(task, base, head.taskHead(), fineTuned, summary);
    }
  }

  private DeployedModel deployedModel(String modelName) {
    try {
      return registry.deployed(modelName);
    } catch (WebApplicationException e) {
      if (e.getResponse().getStatus() == 404) {
        throw new InvalidEventException(
            "Unknown model '" + modelName + "': no version is deployed; register a base version first");
      }
      throw e;
    }
  }

  private void requireCompatibleDataset(PatchTaskSubmitted task, EncoderSpec architecture) {
    DatasetManifest manifest;
    try {
      manifest = datasets.manifest(task.dataset());
    } catch (DatasetNotFoundException e) {
      throw new InvalidEventException("Unknown dataset '" + task.dataset() + "' in task " + task.taskId()
          + ": import it into the object store first", e);
    }
    if (!manifest.classNames().equals(task.classNames())) {
      throw new InvalidEventException("Class names of task " + task.taskId() + " " + task.classNames()
          + " do not match dataset '" + task.dataset() + "' " + manifest.classNames()
          + "; list the dataset's classes in label order");
    }
    if (manifest.channels() != architecture.channels() || manifest.height() != architecture.imageSize()
        || manifest.width() != architecture.imageSize()) {
      throw new InvalidEventException("Dataset '" + task.dataset() + "' has images of " + manifest.channels() + "x"
          + manifest.height() + "x" + manifest.width() + " but the encoder takes " + architecture.channels() + "x"
          + architecture.imageSize() + "x" + architecture.imageSize() + "; re-import it at the encoder's size");
    }
  }

  private Encoder loadEncoder(DeployedModel base, Device device, WorkDirectory workDirectory) {
    Path file = baseFile(base, workDirectory);
    checkpoints.download(base.encoder(), file);
    return Encoder.load(base.architecture(), file, device);
  }

  private static Path baseFile(DeployedModel base, WorkDirectory workDirectory) {
    return CheckpointStore.localPath(base.encoder(), workDirectory.path(), "base");
  }

  /**
   * Saves the fine-tuned encoder in the base's form and returns its file. That is one safetensors file, or for a
   * sharded base an index and shards with the base's shard file names and the same tensors in each shard.
   */
  private static Path saveFineTuned(Encoder encoder, PatchTaskSubmitted task, DeployedModel base,
      WorkDirectory workDirectory) {
    Map<String, String> metadata =
        Map.of("paint.task-id", task.taskId(), "paint.base-version", Integer.toString(base.version()));
    Path baseFile = baseFile(base, workDirectory);
    if (!Checkpoints.isSharded(baseFile)) {
      Path file = workDirectory.resolve("fine-tuned.safetensors");
      encoder.save(file, metadata);
      return file;
    }

    Path index = workDirectory.resolve("fine-tuned").resolve("encoder" + Checkpoints.INDEX_SUFFIX);
    try (Checkpoint baseCheckpoint = Checkpoints.open(baseFile)) {
      encoder.save(index, metadata, baseCheckpoint.shards());
    }
    return index;
  }

  /**
   * Returns the task's frozen head: the one the model already has for this task (heads never change), else the head
   * the task brought, else one built from the base encoder's mean embedding per class.
   */
  private HeadAndTask resolveHead(
      PatchTaskSubmitted task, DeployedModel base, Encoder encoder, LabeledImages train, WorkDirectory workDirectory) {
    int classes = task.classNames().size();
    int dim = base.architecture().embeddingDim();
    Path file = workDirectory.resolve("head.safetensors");
    for (TaskHead existing : base.tasks()) {
      if (existing.task().equals(task.task())) {
        if (!existing.classNames().equals(task.classNames())) {
          throw new InvalidEventException("Task '" + task.task() + "' already exists in model " + task.modelName()
              + " with classes " + existing.classNames() + "; submit the same classes or use a new task name");
        }
        checkpoints.download(existing.head(), file);
        return new HeadAndTask(ClassificationHead.load(file, classes, dim), existing);
      }
    }

    ClassificationHead head;
    if (task.head() != null) {
      CheckpointRef supplied = checkpoints.find(task.head());
      if (supplied == null) {
        throw new InvalidEventException("Head '" + task.head() + "' of task " + task.taskId()
            + " is not in the object store (or has no manifest); upload it with its manifest first");
      }
      checkpoints.download(supplied, file);
      head = ClassificationHead.load(file, classes, dim);
    } else {
      head = ClassificationHead.fromClassMeans(encoder, train, classes);
    }
    head.save(file, Map.of("paint.task", task.task()));
    CheckpointRef stored = checkpoints.upload(ObjectKeys.head(task.modelName(), task.task()), file);
    return new HeadAndTask(head, new TaskHead(task.task(), task.dataset(), task.classNames(), stored, TaskRole.PATCH));
  }

  private Hyperparameters defaults() {
    TrainerConfig.Defaults d = config.defaults();
    return new Hyperparameters(d.learningRate(), d.epochs(), d.batchSize(), d.weightDecay(), d.warmupSteps(),
        d.maxGradNorm(), d.seed(), d.maxTrainImages());
  }

  private record HeadAndTask(ClassificationHead head, TaskHead taskHead) {}
}
