package dev.paint.examples.subscriber.service;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The model version being served, swapped atomically when a newer one is promoted. Requests that run the encoder hold
 * the read lock, and a swap takes the write lock, so the old encoder's native memory is freed only after every
 * in-flight request that used it has finished.
 */
@ApplicationScoped
public class ServedModelHolder {

  private static final Logger LOG = Logger.getLogger(ServedModelHolder.class);

  private final AtomicReference<ServedModel> current = new AtomicReference<>();
  // Fair, so that a stream of requests cannot postpone a swap indefinitely.
  private final ReadWriteLock lock = new ReentrantReadWriteLock(true);

  /** The served version, for descriptions only: its encoder may be closed by the time the caller uses it. */
  public Optional<ServedModel> current() {
    return Optional.ofNullable(current.get());
  }

  /** Runs {@code use} with the served model, or returns empty when none is loaded yet. */
  public <T> Optional<T> withModel(Function<ServedModel, T> use) {
    lock.readLock().lock();
    try {
      ServedModel model = current.get();
      return model == null ? Optional.empty() : Optional.of(use.apply(model));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Serves {@code next} from now on and closes the version served before, once no request uses it. */
  public void swap(ServedModel next) {
    ServedModel previous;
    lock.writeLock().lock();
    try {
      previous = current.getAndSet(next);
    } finally {
      lock.writeLock().unlock();
    }

    // Requests that start after the unlock see only the new version, so nothing can use the old one any more.
    if (previous != null) {
      previous.close();
      LOG.debugf("Closed model '%s' version %d", previous.modelName(), previous.version());
    }
  }

  @PreDestroy
  void close() {
    lock.writeLock().lock();
    try {
      ServedModel model = current.getAndSet(null);
      if (model != null) {
        model.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
