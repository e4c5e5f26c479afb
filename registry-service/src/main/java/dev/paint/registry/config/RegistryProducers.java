package dev.paint.registry.config;

import dev.paint.registry.service.CheckpointLookup;
import dev.paint.shared.storage.CheckpointStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** CDI producers for what the registry's services take as constructor arguments, so tests can pass their own. */
@ApplicationScoped
public class RegistryProducers {

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Produces
  @Singleton
  CheckpointLookup checkpointLookup(CheckpointStore checkpoints) {
    return checkpoints::find;
  }
}
