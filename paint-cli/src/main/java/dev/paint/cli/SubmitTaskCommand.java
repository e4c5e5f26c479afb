package dev.paint.cli;

import dev.paint.demo.PipelineEvents;
import dev.paint.shared.dataset.Dataset;
import dev.paint.shared.dataset.DatasetManifest;
import dev.paint.shared.dataset.DatasetNotFoundException;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.Hyperparameters;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.event.Topics;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code submit-task}: publishes a patch task for a stored dataset, with the class names of its manifest, and with
 * {@code --wait} follows it until the registry promotes its candidate or a service reports it failed.
 */
public final class SubmitTaskCommand implements Command {

  static final String MODEL = "--model";
  static final String TASK = "--task";
  static final String DATASET = "--dataset";
  static final String TASK_ID = "--task-id";
  static final String HEAD = "--head";
  static final String RULE = "--rule";
  static final String TOLERANCE = "--tolerance";
  static final String ALPHAS = "--alphas";
  static final String SEARCH = "--search";
  static final String LEARNING_RATE = "--learning-rate";
  static final String EPOCHS = "--epochs";
  static final String BATCH_SIZE = "--batch-size";
  static final String MAX_TRAIN_IMAGES = "--max-train-images";
  static final String WAIT = "--wait";
  static final String TIMEOUT = "--timeout";

  /** How long {@code --wait} follows a task when {@code --timeout} is not given. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  /**
   * A parsed {@code submit-task} command line.
   *
   * @param head object key of a ready head, or null to let the trainer resolve one
   * @param timeout how long {@code --wait} follows the task
   */
  record Request(
      String model, String task, String dataset, String taskId, String head, Hyperparameters hyperparameters,
      Selection selection, boolean waitForOutcome, Duration timeout) {}

  @Override
  public String name() {
    return "submit-task";
  }

  @Override
  public String summary() {
    return "submit a patch task on an imported dataset, and optionally wait for its outcome";
  }

  @Override
  public String synopsis() {
    return "--model NAME --task TASK --dataset DATASET";
  }

  @Override
  public String description() {
    return String.join(" ",
        "Publishes a PatchTaskSubmitted event on " + Topics.PATCH_TASK_SUBMITTED + " with the class names of the",
        "dataset's manifest, and prints the task id. The trainer fine-tunes the model's deployed encoder on the",
        "dataset's training split, the interpolator mixes it with the deployed one for each alpha, and the",
        "evaluator chooses alpha on the validation splits of every task the model has seen. Options left out take",
        "the services' configured defaults. With " + WAIT + ", the command follows " + Topics.MODEL_PROMOTED
            + " and " + Topics.PATCH_TASK_FAILED,
        "until the task is promoted (exit status 0) or failed (exit status 1).");
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        OptionSpec.value(MODEL, "NAME", "registered model to patch; its deployed version is the base"),
        OptionSpec.value(TASK, "TASK", "name of the new task, under which its head and accuracies are recorded"),
        OptionSpec.value(DATASET, "DATASET", "imported dataset the task trains and is measured on"),
        OptionSpec.value(TASK_ID, "ID", "id of this patch task (default: TASK plus 8 random hex digits)"),
        OptionSpec.value(HEAD, "KEY", "object key of a ready head for the task (default: the model's head for TASK,"
            + " else class means of the base encoder's embeddings)"),
        OptionSpec.value(RULE, "RULE", "alpha selection rule: mean-accuracy or constrained"),
        OptionSpec.value(TOLERANCE, "POINTS", "accuracy points a supported task may lose under the constrained rule"),
        OptionSpec.value(ALPHAS, "A,B,C", "alpha grid, each value from 0 to 1, such as 0,0.5,1"),
        OptionSpec.value(SEARCH, "NAME", "alpha search: grid (every alpha) or coarse-to-fine (at most half of them)"),
        OptionSpec.value(LEARNING_RATE, "RATE", "peak AdamW learning rate of the fine-tuning"),
        OptionSpec.value(EPOCHS, "N", "passes over the training split"),
        OptionSpec.value(BATCH_SIZE, "N", "images per optimiser step"),
        OptionSpec.value(MAX_TRAIN_IMAGES, "N", "use at most N training images, 0 for all"),
        OptionSpec.flag(WAIT, "wait until the task is promoted or failed, and print the result"),
        OptionSpec.value(TIMEOUT, "SECONDS", "how long " + WAIT + " waits (default: " + DEFAULT_TIMEOUT.toSeconds()
            + ")"));
  }

  @Override
  public void run(ParsedOptions options, Map<String, String> environment, PrintStream out)
      throws InterruptedException {
    Request request = parse(options);
    ConnectionOptions connections = new ConnectionOptions(options, environment);
    String bootstrapServers = connections.bootstrapServers();
    ObjectStore store = ObjectStore.connect(connections.objectStore());

    DatasetManifest manifest = manifest(request, new DatasetStore(store));
    if (request.head() != null && new CheckpointStore(store).find(request.head()) == null) {
      throw new CommandFailedException("Head s3://" + store.bucket() + "/" + request.head() + " given with " + HEAD
          + " is not stored with its manifest: upload it with register-model, or leave out " + HEAD);
    }
    PatchTaskSubmitted task = new PatchTaskSubmitted(request.taskId(), request.model(), request.task(),
        request.dataset(), manifest.classNames(), request.head(), request.hyperparameters(), request.selection(),
        Instant.now());

    if (!request.waitForOutcome()) {
      publish(task, bootstrapServers, out);
      return;
    }
    // Subscribed before publishing: the listener reads its topics from the beginning, so no outcome is missed.
    // The listener prints every promotion it reads, of any model; the CLI prints only this task's outcome.
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    try (PipelineEvents events = PipelineEvents.start(bootstrapServers, discard)) {
      events.watch(task.taskId(), task.task());
      publish(task, bootstrapServers, out);
      out.printf("Waiting up to %d s for patch task %s to be promoted or to fail%n", request.timeout().toSeconds(),
          task.taskId());
      TaskOutcomes.print(task, events.next(request.timeout()), request.timeout(), out);
    }
  }

  static Request parse(ParsedOptions options) {
    options.required(MODEL, "the registered model to patch");
    options.required(TASK, "the name of the new task, such as " + TASK + " digits");
    options.required(DATASET, "the imported dataset of the task");
    String model = options.validate(MODEL, name -> EventValidation.requireId(name, "model name"));
    String task = options.validate(TASK, name -> EventValidation.requireId(name, "task"));
    String dataset = options.validate(DATASET, Dataset::requireValidName);
    String taskId = options.validate(TASK_ID, id -> EventValidation.requireId(id, "task id"));

    Hyperparameters hyperparameters = new Hyperparameters(options.positiveNumber(LEARNING_RATE),
        options.positiveInteger(EPOCHS), options.positiveInteger(BATCH_SIZE), null, null, null, null,
        options.nonNegativeInteger(MAX_TRAIN_IMAGES));
    Selection selection = new Selection(options.validate(RULE, SelectionRule::fromId),
        options.nonNegativeNumber(TOLERANCE), options.validate(ALPHAS, SubmitTaskCommand::alphas),
        options.validate(SEARCH, AlphaSearch::fromId));

    Integer timeoutSeconds = options.positiveInteger(TIMEOUT);
    if (timeoutSeconds != null && !options.flag(WAIT)) {
      throw new UsageException("Option " + TIMEOUT + " applies only with " + WAIT + ": add " + WAIT
          + " or leave out " + TIMEOUT);
    }
    Duration timeout = timeoutSeconds == null ? DEFAULT_TIMEOUT : Duration.ofSeconds(timeoutSeconds);
    return new Request(model, task, dataset, taskId == null ? generateTaskId(task) : taskId,
        options.value(HEAD), hyperparameters, selection, options.flag(WAIT), timeout);
  }

  /** Returns TASK plus 8 random hex digits, or a whole UUID when that would exceed the 128 characters of an id. */
  static String generateTaskId(String task) {
    String random = UUID.randomUUID().toString().replace("-", "");
    String id = task + "-" + random.substring(0, 8);
    return id.length() <= 128 ? id : random;
  }

  private static List<Double> alphas(String value) {
    List<Double> alphas = new ArrayList<>();
    for (String text : value.split(",", -1)) {
      try {
        alphas.add(Selection.requireAlpha(Double.valueOf(text.strip()), "the alpha grid"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Invalid alpha '" + text + "' in '" + value + "': expected numbers from 0"
            + " to 1 separated by commas, such as 0,0.5,1", e);
      }
    }
    return alphas;
  }

  private static DatasetManifest manifest(Request request, DatasetStore datasets) {
    try {
      return datasets.manifest(request.dataset());
    } catch (DatasetNotFoundException e) {
      throw new CommandFailedException("Dataset '" + request.dataset() + "' is not in the object store: import it"
          + " first with " + PaintCli.PROGRAM + " import-dataset --name " + request.dataset(), e);
    }
  }

  private static void publish(PatchTaskSubmitted task, String bootstrapServers, PrintStream out) {
    try (PatchTaskPublisher publisher = new PatchTaskPublisher(bootstrapServers)) {
      publisher.publish(task);
    }
    out.printf("Submitted patch task %s: model %s, task %s, dataset %s with %d classes, on topic %s%n",
        task.taskId(), task.modelName(), task.task(), task.dataset(), task.classNames().size(),
        Topics.PATCH_TASK_SUBMITTED);
  }
}
