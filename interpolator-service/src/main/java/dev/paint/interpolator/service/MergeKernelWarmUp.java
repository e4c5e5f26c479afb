package dev.paint.interpolator.service;

import dev.paint.interpolator.merge.ChunkMixer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Warms up the merge kernel when the service starts, so that the first patch task's merge runs compiled code, and
 * logs which 16-bit conversions the JVM gives it. The one-element-at-a-time path in that line means that the
 * launcher lacks {@code --add-modules jdk.incubator.vector}.
 */
@ApplicationScoped
class MergeKernelWarmUp {

  private static final Logger LOG = Logger.getLogger(MergeKernelWarmUp.class);

  void onStart(@Observes StartupEvent event) {
    long started = System.nanoTime();
    ChunkMixer.warmUp();
    LOG.infof("Merge kernel warmed up in %d ms; %s.", (System.nanoTime() - started) / 1_000_000,
        ChunkMixer.describeConversions());
  }
}
