package dev.paint.demo;

import java.util.List;

/**
 * The four Quarkus services of the pipeline, each a Maven module whose build leaves
 * {@code <module>/target/quarkus-app/quarkus-run.jar}.
 */
public enum PaintService {
  // Listed first, so the demo waits for it first: the trainer requests the deployed version as soon as a task arrives.
  REGISTRY("registry-service", "512m"),
  TRAINER("trainer-service", "2g"),
  // The interpolator mixes F16 and BF16 checkpoints on the Vector API, an incubator module that needs the flag.
  INTERPOLATOR("interpolator-service", "1g", "--add-modules=jdk.incubator.vector"),
  EVALUATOR("evaluator-service", "2g");

  private final String module;
  private final String heap;
  private final List<String> jvmOptions;

  PaintService(String module, String heap, String... jvmOptions) {
    this.module = module;
    this.heap = heap;
    this.jvmOptions = List.of(jvmOptions);
  }

  /** Returns the Maven module name, also the service's name in logs and file names. */
  public String module() {
    return module;
  }

  /**
   * Returns the maximum Java heap in -Xmx syntax. The trainer and evaluator keep decoded dataset splits on the heap;
   * the encoder's weights live in PyTorch's native memory, outside this limit.
   */
  public String heap() {
    return heap;
  }

  /** Returns the JVM options that the service needs besides the heap limit. */
  public List<String> jvmOptions() {
    return jvmOptions;
  }
}
