package dev.paint.cli;

import dev.paint.cli.AliasHistoryClient.AliasChange;
import dev.paint.demo.RegistryClient;
import dev.paint.shared.event.DeployedModel;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.TaskHead;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** {@code status}: prints a model's deployed version with its tasks, and the history of its {@code deployed} alias. */
public final class StatusCommand implements Command {

  static final String MODEL = "--model";

  @Override
  public String name() {
    return "status";
  }

  @Override
  public String summary() {
    return "print a model's deployed version, its tasks and the history of its deployments";
  }

  @Override
  public String synopsis() {
    return "--model NAME";
  }

  @Override
  public String description() {
    return String.join(" ",
        "Reads GET /models/NAME/history and GET /models/NAME/deployed from registry-service and prints them as",
        "tables. Only the registry URL of the connection options is used.");
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.value(MODEL, "NAME", "registered model"));
  }

  @Override
  public void run(ParsedOptions options, Map<String, String> environment, PrintStream out)
      throws InterruptedException {
    options.required(MODEL, "the registered model, such as " + MODEL + " my-classifier");
    String model = options.validate(MODEL, name -> EventValidation.requireId(name, "model name"));
    ConnectionOptions connections = new ConnectionOptions(options, environment);
    URI registryUrl = connections.registryUrl();

    // History first, because for an unknown model its error message explains how to register one.
    List<AliasChange> history = new AliasHistoryClient(registryUrl, connections.registryApiToken()).history(model);
    DeployedModel deployed = new RegistryClient(registryUrl, connections.registryApiToken()).deployed(model);

    printDeployed(deployed, out);
    out.println();
    printHistory(history, out);
  }

  private static void printDeployed(DeployedModel deployed, PrintStream out) {
    out.printf("Model %s: deployed version %d, lineage root version %d%n", deployed.modelName(), deployed.version(),
        deployed.rootVersion());
    out.printf("Encoder: %s (SHA-256 %s)%n", deployed.encoder().key(), deployed.encoder().sha256());
    out.printf("  %-24s %-24s %7s  %s%n", "task", "dataset", "classes", "role");
    for (TaskHead task : deployed.tasks()) {
      out.printf("  %-24s %-24s %7d  %s%n", task.task(), task.dataset(), task.classNames().size(),
          task.role().name().toLowerCase(Locale.ROOT));
    }
  }

  private static void printHistory(List<AliasChange> history, PrintStream out) {
    out.println("History of the deployed alias, oldest first:");
    out.printf("  %-24s %7s %8s  %-8s  %s%n", "changed at", "version", "previous", "reason", "task id or note");
    for (AliasChange change : history) {
      String previous = change.previousVersion() == null ? "-" : change.previousVersion().toString();
      String detail = Objects.requireNonNullElse(change.taskId(), Objects.requireNonNullElse(change.note(), "-"));
      out.printf("  %-24s %7d %8s  %-8s  %s%n", change.changedAt(), change.version(), previous, change.reason(),
          detail);
    }
  }
}
