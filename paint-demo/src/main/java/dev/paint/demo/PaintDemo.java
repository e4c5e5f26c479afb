package dev.paint.demo;

import dev.paint.demo.BaseModelBuilder.PretrainedBase;
import dev.paint.demo.DemoReport.BaseReport;
import dev.paint.demo.DemoReport.ModelReport;
import dev.paint.demo.DemoReport.PatchReport;
import dev.paint.demo.DemoReport.StageTime;
import dev.paint.demo.PatchScheduler.ModelPlan;
import dev.paint.shared.dataset.BuiltinDataset;
import dev.paint.shared.dataset.DatasetStore;
import dev.paint.shared.event.SelectionRule;
import dev.paint.shared.storage.CheckpointStore;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the whole pipeline once. It starts the broker, the object store and the four services and imports the datasets.
 * It pretrains (or reuses) the base encoder and registers it once per selection rule. Then it applies the patch tasks to
 * every model in order and collects what the evaluator and the registry reported.
 */
public final class PaintDemo {

  private final DemoSettings settings;
  private final PrintStream out;
  private final List<StageTime> stages = new ArrayList<>();

  /**
   * The parts of the pipeline that the callback of {@link #run(Consumer)} can use while the services still run.
   *
   * @param bootstrapServers the broker's {@code bootstrap.servers}
   * @param services the base URL of every service, such as http://127.0.0.1:PORT
   */
  public record RunningPipeline(RegistryClient registry, String bootstrapServers, Map<PaintService, URI> services) {}

  public PaintDemo(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs the demo and stops everything it started; see {@link #run(Consumer)}. */
  public DemoReport run() throws InterruptedException {
    return run(pipeline -> {});
  }

  /**
   * Runs the demo and stops everything it started, also when a stage fails or the JVM is shut down (Ctrl-C).
   *
   * @param beforeShutdown called after the patch tasks ended, while the services still run
   * @return the report; it lists a failed or timed-out patch task with its reason
   * @throws DemoFailedException when a stage before the patch tasks fails: build outputs or dataset files missing, a
   *     service not ready, pretraining or registration failed
   */
  public DemoReport run(Consumer<RunningPipeline> beforeShutdown) throws InterruptedException {
    settings.repository().requireBuiltArtifacts();
    String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    Instant startedAt = Instant.now();
    out.println("Work directory: " + settings.workDirectory());

    RunningStack stack = new RunningStack();
    Thread shutdownHook = new Thread(stack::close, "paint-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try {
      stack.infrastructure = stage("infrastructure start", this::startInfrastructure);
      stack.services = stage("services start", () -> PaintServices.start(settings.repository(), stack.infrastructure,
          settings.logDirectory(), settings.serviceReadyTimeout(), out));
      RegistryClient registry = new RegistryClient(
          stack.services.baseUri(PaintService.REGISTRY), stack.services.registryApiToken());

      Map<String, DemoDatasets.Imported> datasets = stage("dataset import", () -> importDatasets(stack));
      PretrainedBase base = stage("pretraining", () -> pretrain(datasets.get(BaseModelBuilder.TASK)));
      Map<SelectionRule, Integer> baseVersions = stage("base registration",
          () -> registerBase(stack, registry, base, datasets.get(BaseModelBuilder.TASK)));

      stack.events = PipelineEvents.start(stack.infrastructure.bootstrapServers(), out);
      stack.submitter = new PatchTaskSubmitter(stack.infrastructure.bootstrapServers());
      PatchScheduler.Result result = patch(stack, runId, baseVersions);

      beforeShutdown.accept(
          new RunningPipeline(registry, stack.infrastructure.bootstrapServers(), stack.services.baseUris()));
      BaseReport baseReport = new BaseReport(BaseModelBuilder.TASK, base.cacheKey(), base.validationAccuracy(),
          base.testAccuracy(), base.trainingMillis(), base.fromCache());
      return new DemoReport(runId, startedAt, settings.workDirectory().toString(), stages, baseReport,
          result.models(), result.failure());
    } finally {
      stack.close();
      removeShutdownHook(shutdownHook);
    }
  }

  private LocalInfrastructure startInfrastructure() {
    LocalInfrastructure infrastructure =
        LocalInfrastructure.start(settings.repository(), settings.infrastructureDirectory());
    out.println("  Kafka broker at " + infrastructure.bootstrapServers() + " (log " + infrastructure.brokerLogFile()
        + ")");
    out.println("  object store at " + infrastructure.objectStoreSettings().endpoint() + ", bucket "
        + infrastructure.objectStoreSettings().bucket() + " (log " + infrastructure.objectStoreLogFile() + ")");
    return infrastructure;
  }

  private Map<String, DemoDatasets.Imported> importDatasets(RunningStack stack) {
    DatasetStore store = new DatasetStore(stack.infrastructure.objectStore());
    Set<String> keys = new LinkedHashSet<>();
    keys.add(BaseModelBuilder.TASK);
    settings.patchTasks().forEach(task -> keys.add(task.dataset()));

    Map<String, DemoDatasets.Imported> imported = new LinkedHashMap<>();
    for (String key : keys) {
      boolean isBase = key.equals(BaseModelBuilder.TASK);
      int limit = isBase ? settings.baseSourceImages() : settings.patchSourceImages();
      DemoDatasets.Imported dataset =
          DemoDatasets.importDataset(BuiltinDataset.fromKey(key), settings.dataDirectory(), limit, store);
      out.printf("  %-14s %6d train, %5d validation, %5d test images from %s%n", key,
          dataset.dataset().train().size(), dataset.dataset().validation().size(), dataset.dataset().test().size(),
          dataset.sourceDirectory());
      imported.put(key, dataset);
    }
    return imported;
  }

  private PretrainedBase pretrain(DemoDatasets.Imported fashion) {
    return BaseModelBuilder.pretrainOrLoad(settings.encoderSpec(), settings.pretraining(), fashion.dataset(),
        fashion.manifest(), settings.cacheDirectory(), out);
  }

  private Map<SelectionRule, Integer> registerBase(
      RunningStack stack, RegistryClient registry, PretrainedBase base, DemoDatasets.Imported fashion) {
    CheckpointStore checkpoints = new CheckpointStore(stack.infrastructure.objectStore());
    Map<SelectionRule, Integer> versions = new LinkedHashMap<>();
    for (SelectionRule rule : settings.rules()) {
      String modelName = settings.modelName(rule);
      int version = BaseModelRegistration.register(
          modelName, base, settings.shardedBase(), fashion.dataset().classNames(), checkpoints, registry);
      out.printf("  registered model %s version %d (rule %s)%n", modelName, version, rule.id());
      versions.put(rule, version);
    }
    return versions;
  }

  private PatchScheduler.Result patch(RunningStack stack, String runId, Map<SelectionRule, Integer> baseVersions)
      throws InterruptedException {
    out.println("== patch tasks");
    List<ModelPlan> plans = new ArrayList<>();
    for (SelectionRule rule : settings.rules()) {
      plans.add(new ModelPlan(settings.modelName(rule), baseVersions.get(rule), settings.selection(rule),
          settings.patchTasks()));
    }

    PatchScheduler scheduler = new PatchScheduler(stack.submitter, stack.events, settings.patchHyperparameters(),
        runId, settings.taskTimeout(), stack.services::problem, out);
    PatchScheduler.Result result = scheduler.run(plans);

    for (ModelReport model : result.models()) {
      for (PatchReport patch : model.patches()) {
        if (patch.taskId() != null) {
          stages.add(new StageTime("patch " + model.modelName() + " " + patch.task(), patch.durationMillis()));
        }
      }
    }
    return result;
  }

  /** Runs one stage, prints its name and wall time, and records the time in the report. */
  private <T> T stage(String name, Supplier<T> work) {
    out.println("== " + name);
    long started = System.nanoTime();

    T result = work.get();

    long millis = (System.nanoTime() - started) / 1_000_000;
    stages.add(new StageTime(name, millis));
    out.printf("  %s took %.1f s%n", name, millis / 1000.0);
    return result;
  }

  private static void removeShutdownHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down, and the hook has run or is running.
    }
  }

  /** The processes and clients a run started, closed in reverse order. Closing twice or from the shutdown hook is safe. */
  private static final class RunningStack {
    private volatile LocalInfrastructure infrastructure;
    private volatile PaintServices services;
    private volatile PipelineEvents events;
    private volatile PatchTaskSubmitter submitter;
    private boolean closed;

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      closeQuietly(submitter);
      closeQuietly(events);
      closeQuietly(services);
      closeQuietly(infrastructure);
    }

    private static void closeQuietly(AutoCloseable resource) {
      if (resource == null) {
        return;
      }
      try {
        resource.close();
      } catch (Exception e) {
        System.err.println("Stopping " + resource.getClass().getSimpleName() + " failed: " + e);
      }
    }
  }
}
