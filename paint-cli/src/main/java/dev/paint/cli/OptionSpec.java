package dev.paint.cli;

/**
 * One option of a command, as the parser accepts it and the help text shows it.
 *
 * @param name the option with its leading dashes, such as {@code --model}
 * @param valueName the placeholder of its value in the help text, such as {@code NAME}; null for a flag
 * @param description what the option sets, with its unit and default
 * @param repeatable whether the option may be given more than once, each time with one value
 */
public record OptionSpec(String name, String valueName, String description, boolean repeatable) {

  /** Returns an option that takes one value and may be given once. */
  public static OptionSpec value(String name, String valueName, String description) {
    return new OptionSpec(name, valueName, description, false);
  }

  /** Returns an option that takes one value and may be given several times. */
  public static OptionSpec repeated(String name, String valueName, String description) {
    return new OptionSpec(name, valueName, description, true);
  }

  /** Returns an option without a value, which is either present or absent. */
  public static OptionSpec flag(String name, String description) {
    return new OptionSpec(name, null, description, false);
  }

  public boolean isFlag() {
    return valueName == null;
  }

  /** Returns the option as the help text shows it, such as {@code --model NAME}. */
  public String synopsis() {
    return isFlag() ? name : name + " " + valueName;
  }
}
