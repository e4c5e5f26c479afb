package dev.paint.shared.config;

import dev.paint.shared.storage.ObjectStore;
import dev.paint.shared.storage.ObjectStoreException;
import dev.paint.shared.storage.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the object store that every service reads and writes: up while requests on its bucket succeed, so a
 * service whose store is down reports not ready instead of failing tasks.
 */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {

  private static final String NAME = "object-store";

  private final ObjectStore store;

  @Inject
  public ObjectStoreReadinessCheck(ObjectStore store) {
    // A probe must return at once. Retrying would hold the health endpoint for the whole retry time of an outage.
    this.store = store.withRetryPolicy(RetryPolicy.NONE);
  }

  @Override
  public HealthCheckResponse call() {
    try {
      // A missing key only returns false, but a missing bucket or an unreachable store raises.
      store.exists("health/readiness-probe");
      return HealthCheckResponse.named(NAME).up().withData("bucket", store.bucket()).build();
    } catch (ObjectStoreException e) {
      return HealthCheckResponse.named(NAME).down().withData("bucket", store.bucket())
          .withData("error", e.getMessage()).build();
    }
  }
}
