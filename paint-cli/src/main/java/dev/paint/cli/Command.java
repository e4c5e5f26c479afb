package dev.paint.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** One command of the CLI, such as {@code import-dataset}: its options, its help text and its work. */
public interface Command {

  /** Returns the name the user types, such as {@code submit-task}. */
  String name();

  /** Returns one line for the list of commands. */
  String summary();

  /** Returns the required options and their placeholders, such as {@code --model NAME --task TASK}. */
  String synopsis();

  /** Returns the paragraph the help text shows between the usage line and the options. */
  String description();

  /** Returns the command's own options; the {@link ConnectionOptions#SPECS} are added to them. */
  List<OptionSpec> options();

  /**
   * Does the command's work and prints what it did to {@code out}.
   *
   * @param environment the process environment, read for the connection settings' fallbacks
   * @throws UsageException for an invalid option value
   * @throws CommandFailedException or another unchecked exception with a one-line message when the work fails
   */
  void run(ParsedOptions options, Map<String, String> environment, PrintStream out) throws InterruptedException;
}
