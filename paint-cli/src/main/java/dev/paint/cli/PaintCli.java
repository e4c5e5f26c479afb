package dev.paint.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code paint-cli.jar}: the steps of a user's own patch task as commands, so that no code is needed.
 * Exits with 0 on success, 1 when the work failed and 2 for an invalid command line.
 */
public final class PaintCli {

  /** The name the help text uses for this program; the README defines it as a shell function. */
  public static final String PROGRAM = "paint-cli";

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  /** Maximum line length of the help text. */
  static final int HELP_WIDTH = 110;

  private static final Map<String, Command> COMMANDS = commands(
      new ImportDatasetCommand(), new RegisterModelCommand(), new SubmitTaskCommand(), new StatusCommand());

  private PaintCli() {}

  public static void main(String[] args) {
    // Set before the first logger exists, so JBoss Logging and SLF4J use JBoss LogManager with logging.properties.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
    }
    // DJL reads this before loading PyTorch: the native library comes from the pytorch-native-cpu jar, never the web.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs one command line and returns the exit status. Errors are printed to {@code err} as one line.
   *
   * @param environment the process environment, read for the connection settings' fallbacks
   */
  public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(usage());
      return EXIT_USAGE;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      out.print(usage());
      return EXIT_OK;
    }
    Command command = COMMANDS.get(name);
    if (command == null) {
      err.println("Unknown command '" + name + "': expected one of " + String.join(", ", COMMANDS.keySet())
          + " (" + PROGRAM + " --help lists them)");
      return EXIT_USAGE;
    }

    try {
      ParsedOptions options =
          ParsedOptions.parse(name, Arrays.asList(args).subList(1, args.length), allOptions(command));
      if (options.helpRequested()) {
        out.print(help(command));
        return EXIT_OK;
      }
      command.run(options, environment, out);
      return EXIT_OK;
    } catch (UsageException e) {
      err.println(oneLine(e) + " (" + PROGRAM + " " + name + " --help lists the options)");
      return EXIT_USAGE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println(PROGRAM + " " + name + " was interrupted");
      return EXIT_FAILED;
    } catch (RuntimeException e) {
      err.println(oneLine(e));
      return EXIT_FAILED;
    }
  }

  /** Returns the general help: the commands with one line each. */
  static String usage() {
    StringBuilder text = new StringBuilder();
    text.append("Usage: ").append(PROGRAM).append(" COMMAND [options]\n");
    text.append(wrap("Runs the steps of your own patch task against a running paint stack: import a dataset,"
        + " register a model, submit a patch task and follow the model's deployed version.", "", ""))
        .append('\n');
    text.append("Commands:\n");
    COMMANDS.values().forEach(command -> text.append(String.format("  %-16s %s%n", command.name(), command.summary())));
    text.append("\nRun ").append(PROGRAM).append(" COMMAND --help for a command's options.\n");
    return text.toString();
  }

  /** Returns the help of one command: usage line, description, its options, then the connection options. */
  static String help(Command command) {
    List<OptionSpec> own = new ArrayList<>(command.options());
    own.add(OptionSpec.flag("-h, --help", "print this help"));
    int width = 2 + Math.max(longestSynopsis(own), longestSynopsis(ConnectionOptions.SPECS));

    StringBuilder text = new StringBuilder();
    String usage = "Usage: " + PROGRAM + " " + command.name() + " " + command.synopsis() + " [options]";
    text.append(wrap(usage, "", "    ")).append('\n');
    text.append(wrap(command.description(), "", "")).append("\nOptions:\n");
    own.forEach(option -> appendOption(text, option, width));
    text.append("\nConnection options:\n");
    ConnectionOptions.SPECS.forEach(option -> appendOption(text, option, width));
    return text.toString();
  }

  private static void appendOption(StringBuilder text, OptionSpec option, int width) {
    String synopsis = String.format("  %-" + width + "s", option.synopsis());
    text.append(wrap(option.description(), synopsis, " ".repeat(synopsis.length())));
  }

  /**
   * Breaks {@code text} at spaces into lines of at most {@value #HELP_WIDTH} characters. The first line starts with
   * {@code firstIndent}, the others with {@code indent}. A word longer than a line gets a line of its own.
   */
  static String wrap(String text, String firstIndent, String indent) {
    StringBuilder wrapped = new StringBuilder();
    StringBuilder line = new StringBuilder(firstIndent);
    int lineStart = firstIndent.length();
    for (String word : text.strip().split("\\s+")) {
      if (line.length() > lineStart && line.length() + 1 + word.length() > HELP_WIDTH) {
        wrapped.append(line).append('\n');
        line = new StringBuilder(indent);
        lineStart = indent.length();
      }
      if (line.length() > lineStart) {
        line.append(' ');
      }
      line.append(word);
    }
    return wrapped.append(line).append('\n').toString();
  }

  private static int longestSynopsis(List<OptionSpec> options) {
    return options.stream().mapToInt(option -> option.synopsis().length()).max().orElse(0);
  }

  private static List<OptionSpec> allOptions(Command command) {
    List<OptionSpec> options = new ArrayList<>(command.options());
    options.addAll(ConnectionOptions.SPECS);
    return options;
  }

  /** Returns the exception's message on one line; Jackson and some clients put line breaks into theirs. */
  static String oneLine(Throwable error) {
    String message = error.getMessage() == null ? error.toString() : error.getMessage();
    return message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static Map<String, Command> commands(Command... commands) {
    Map<String, Command> byName = new LinkedHashMap<>();
    for (Command command : commands) {
      byName.put(command.name(), command);
    }
    return byName;
  }
}
