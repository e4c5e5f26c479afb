package dev.paint.interpolator.service;

import dev.paint.interpolator.config.InterpolatorConfig;
import dev.paint.interpolator.merge.MergeMethods;
import dev.paint.interpolator.merge.MergeMethod;
import dev.paint.shared.checkpoint.Checkpoints;
import dev.paint.shared.event.AlphaSearch;
import dev.paint.shared.event.Candidate;
import dev.paint.shared.event.CandidatesRequested;
import dev.paint.shared.event.CandidatesInterpolated;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EncoderFineTuned;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.event.PatchTaskSubmitted;
import dev.paint.shared.event.Selection;
import dev.paint.shared.event.TaskHead;
import dev.paint.shared.event.TrainingSummary;
import dev.paint.shared.storage.CheckpointStore;
import dev.paint.shared.storage.ObjectKeys;
import dev.paint.shared.storage.WorkDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Builds the candidates theta_alpha = (1 - alpha) * theta_base + alpha * theta_fine-tuned of one patch task and stores
 * them. The base is the exact version the trainer started from, named in the event, not the version deployed now.
 */
@ApplicationScoped
public class InterpolationService {

  private static final Logger LOG = Logger.getLogger(InterpolationService.class);

  @Inject CheckpointStore checkpoints;
  @Inject InterpolatorConfig config;
  @Inject MeterRegistry meters;

  /** Writes the first round of candidates: the whole grid, or the coarse alphas of a coarse-to-fine search. */
  public CandidatesInterpolated interpolate(EncoderFineTuned event) {
    List<Double> grid = alphaGrid(event.task().selection());
    AlphaSearch search = alphaSearch(event.task().selection());
    CandidateSource source = new CandidateSource(event.task(), event.base(), event.patchHead(), event.fineTuned(),
        event.training());
    return write(source, search, grid, 1, search.firstRound(grid));
  }

  /** Writes the candidates that a coarse-to-fine search requested for one later round, and no others. */
  public CandidatesInterpolated interpolate(CandidatesRequested event) {
    CandidateSource source = new CandidateSource(event.task(), event.base(), event.patchHead(), event.fineTuned(),
        event.training());
    return write(source, AlphaSearch.COARSE_TO_FINE, event.grid(), event.round(),
        List.copyOf(new TreeSet<>(event.alphas())));
  }

  private CandidatesInterpolated write(
      CandidateSource source, AlphaSearch search, List<Double> grid, int round, List<Double> alphas) {
    MergeMethod method = mergeMethod();
    String modelName = source.task().modelName();
    String taskId = source.task().taskId();

    try (WorkDirectory workDirectory =
        WorkDirectory.create(config.workDirectory(), "paint-interpolator-" + taskId + "-",
            "paint.interpolator.work-directory")) {
      long started = System.nanoTime();
      Path base = CheckpointStore.localPath(source.base().encoder(), workDirectory.path(), "base");
      Path fineTuned = CheckpointStore.localPath(source.fineTuned(), workDirectory.path(), "fine-tuned");
      long bytes = checkpoints.download(source.base().encoder(), base).sizeBytes()
          + checkpoints.download(source.fineTuned(), fineTuned).sizeBytes();

      // The candidates take the base's layout: a sharded base gives sharded candidates, each in its own folder
      // because they all have the base's shard file names.
      boolean sharded = Checkpoints.isSharded(base);
      List<Path> outputs = new ArrayList<>();
      for (int i = 0; i < alphas.size(); i++) {
        outputs.add(candidatePath(workDirectory, i, sharded));
      }
      method.merge(base, fineTuned, alphas, outputs);

      List<Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < alphas.size(); i++) {
        String key = sharded
            ? ObjectKeys.shardedCandidate(modelName, taskId, alphas.get(i))
            : ObjectKeys.candidate(modelName, taskId, alphas.get(i));
        CheckpointRef candidate = checkpoints.upload(key, outputs.get(i));
        candidates.add(new Candidate(alphas.get(i), candidate));
        bytes += candidate.sizeBytes();
      }
      recordMetrics(modelName, source.task().task(), System.nanoTime() - started, bytes);
      LOG.infof("Stored %d candidates of task %s (model %s, base v%d, %s search round %d) for alphas %s",
          candidates.size(), taskId, modelName, source.base().version(), search.id(), round, alphas);
      return new CandidatesInterpolated(source.task(), source.base(), source.patchHead(), source.fineTuned(),
          source.training(), method.name(), candidates, search, grid, round);
    } catch (IOException e) {
      throw new UncheckedIOException("Interpolation of task " + taskId + " failed: " + e.getMessage(), e);
    }
  }

  private static Path candidatePath(WorkDirectory workDirectory, int index, boolean sharded) throws IOException {
    if (!sharded) {
      return workDirectory.resolve("candidate-" + index + ".safetensors");
    }
    Path folder = Files.createDirectories(workDirectory.resolve("candidate-" + index));
    return folder.resolve("encoder" + Checkpoints.INDEX_SUFFIX);
  }

  /** Returns the task's own alpha grid when it has one, else the configured grid, sorted and without duplicates. */
  List<Double> alphaGrid(Selection selection) {
    List<Double> requested = selection.alphas() != null ? selection.alphas() : config.alphas();
    if (requested.isEmpty()) {
      throw new InvalidEventException("Empty alpha grid: give at least one alpha in [0, 1]");
    }
    for (Double alpha : requested) {
      Selection.requireAlpha(alpha, "alpha grid");
    }
    return List.copyOf(new TreeSet<>(requested));
  }

  /** Returns the task's own alpha search when it has one, else the configured one. */
  AlphaSearch alphaSearch(Selection selection) {
    return selection.search() != null ? selection.search() : config.search();
  }

  private MergeMethod mergeMethod() {
    return MergeMethods.byName(config.mergeMethod());
  }

  /** The fields that name what to mix, common to the fine-tuned and the candidates-requested event. */
  private record CandidateSource(
      PatchTaskSubmitted task, DeployedModel base, TaskHead patchHead, CheckpointRef fineTuned,
      TrainingSummary training) {}

  /** Records one interpolation, tagged by model and patch task name (a small set per model, unlike task ids). */
  private void recordMetrics(String modelName, String task, long nanos, long bytes) {
    meters.timer("paint.interpolator.duration", "model", modelName, "task", task)
        .record(java.time.Duration.ofNanos(nanos));
    meters.counter("paint.interpolator.bytes", "model", modelName, "task", task).increment(bytes);
  }
}
