package dev.paint.interpolator.service;

import dev.paint.interpolator.config.InterpolatorConfig;
import dev.paint.interpolator.merge.ChunkMixer;
import dev.paint.interpolator.merge.MergeWarmUp;
import dev.paint.shared.storage.WorkDirectory;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/**
 * Warms the merge up when the service starts, so that the first patch task's merge runs compiled code, and logs
 * which 16-bit conversions the JVM gives it. The one-element-at-a-time path in that line means that the launcher
 * lacks {@code --add-modules jdk.incubator.vector}.
 */
@ApplicationScoped
class StartupWarmUp {

  private static final Logger LOG = Logger.getLogger(StartupWarmUp.class);

  @Inject
  InterpolatorConfig config;

  void onStart(@Observes StartupEvent event) {
    long started = System.nanoTime();
    try (WorkDirectory directory = WorkDirectory.create(config.workDirectory(), "paint-interpolator-warm-up-",
        "paint.interpolator.work-directory")) {
      MergeWarmUp.run(directory.path());
      LOG.infof("Merge warmed up in %d ms; %s.", (System.nanoTime() - started) / 1_000_000,
          ChunkMixer.describeConversions());
    } catch (UncheckedIOException e) {
      // The service still merges without the warm-up, but its first merge runs slower.
      LOG.warnf("Merge warm-up failed, so the first merge runs before the JIT compiler has optimized it: %s; %s.",
          e.getMessage(), ChunkMixer.describeConversions());
    }
  }
}
