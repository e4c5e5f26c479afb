package dev.paint.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The options of one command line, checked against the command's {@link OptionSpec}s. Both {@code --name value} and
 * {@code --name=value} are accepted. The typed getters throw {@link UsageException} naming the option and the value.
 */
public final class ParsedOptions {

  private final String command;
  private final Map<String, List<String>> values;
  private final boolean helpRequested;

  private ParsedOptions(String command, Map<String, List<String>> values, boolean helpRequested) {
    this.command = command;
    this.values = values;
    this.helpRequested = helpRequested;
  }

  /**
   * Parses the arguments that follow the command name.
   *
   * @throws UsageException for an unknown option, a missing value, a value given to a flag, a positional argument, or
   *     an option given twice that is not repeatable
   */
  public static ParsedOptions parse(String command, List<String> args, List<OptionSpec> specs) {
    Map<String, OptionSpec> known = new LinkedHashMap<>();
    specs.forEach(spec -> known.put(spec.name(), spec));
    Map<String, List<String>> values = new LinkedHashMap<>();

    for (int i = 0; i < args.size(); i++) {
      String argument = args.get(i);
      if (argument.equals("--help") || argument.equals("-h")) {
        return new ParsedOptions(command, Map.of(), true);
      }
      if (!argument.startsWith("--")) {
        throw new UsageException("Unexpected argument '" + argument + "' for command " + command
            + ": every value follows its option, such as --name VALUE");
      }

      int equals = argument.indexOf('=');
      String name = equals < 0 ? argument : argument.substring(0, equals);
      OptionSpec spec = known.get(name);
      if (spec == null) {
        throw new UsageException("Unknown option " + name + " for command " + command);
      }

      String value;
      if (spec.isFlag()) {
        if (equals >= 0) {
          throw new UsageException("Option " + name + " takes no value, but got '" + argument.substring(equals + 1)
              + "': give " + name + " alone");
        }
        value = "true";
      } else if (equals >= 0) {
        value = argument.substring(equals + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("Missing value for option " + name + ": give " + spec.synopsis());
      }

      List<String> previous = values.computeIfAbsent(name, key -> new ArrayList<>());
      if (!previous.isEmpty() && !spec.repeatable()) {
        throw new UsageException("Option " + name + " is given twice: give it once");
      }
      previous.add(value);
    }
    return new ParsedOptions(command, values, false);
  }

  /** Parses arguments given as an array; see {@link #parse(String, List, List)}. */
  public static ParsedOptions parse(String command, String[] args, List<OptionSpec> specs) {
    return parse(command, Arrays.asList(args), specs);
  }

  public String command() {
    return command;
  }

  /** Returns whether {@code --help} or {@code -h} was given; then no other option was parsed. */
  public boolean helpRequested() {
    return helpRequested;
  }

  /** Returns the option's value, or null when it was not given. */
  public String value(String name) {
    List<String> optionValues = values.get(name);
    return optionValues == null ? null : optionValues.get(0);
  }

  /** Returns every value of a repeatable option in command line order, empty when it was not given. */
  public List<String> values(String name) {
    return List.copyOf(values.getOrDefault(name, List.of()));
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  /** Returns the option's value, or throws {@link UsageException} saying that the command needs it. */
  public String required(String name, String meaning) {
    String value = value(name);
    if (value == null || value.isBlank()) {
      throw new UsageException("Missing option " + name + " for command " + command + ": give " + meaning);
    }
    return value;
  }

  /** Returns a positive integer, or null when the option was not given. */
  public Integer positiveInteger(String name) {
    return convert(name, "a positive integer", text -> {
      int number = Integer.parseInt(text);
      return number > 0 ? number : null;
    });
  }

  /** Returns an integer of 0 or more, or null when the option was not given. */
  public Integer nonNegativeInteger(String name) {
    return convert(name, "an integer of 0 or more", text -> {
      int number = Integer.parseInt(text);
      return number >= 0 ? number : null;
    });
  }

  /** Returns a positive finite number, or null when the option was not given. */
  public Double positiveNumber(String name) {
    return convert(name, "a positive number", text -> {
      double number = Double.parseDouble(text);
      return number > 0 && Double.isFinite(number) ? number : null;
    });
  }

  /** Returns a finite number of 0 or more, or null when the option was not given. */
  public Double nonNegativeNumber(String name) {
    return convert(name, "a number of 0 or more", text -> {
      double number = Double.parseDouble(text);
      return number >= 0 && Double.isFinite(number) ? number : null;
    });
  }

  /** Returns a whole number, or null when the option was not given. */
  public Long longInteger(String name) {
    return convert(name, "an integer", Long::parseLong);
  }

  /**
   * Converts the option's value with {@code parser}, which returns null or throws for an invalid value. Returns null
   * when the option was not given.
   *
   * @param expected what a valid value is, for the error message, such as "a positive integer"
   */
  public <T> T convert(String name, String expected, Function<String, T> parser) {
    String text = value(name);
    if (text == null) {
      return null;
    }

    T converted;
    try {
      converted = parser.apply(text.strip());
    } catch (RuntimeException e) {
      converted = null;
    }
    if (converted == null) {
      throw new UsageException("Invalid value '" + text + "' for option " + name + ": expected " + expected);
    }
    return converted;
  }

  /**
   * Passes the value to {@code validator}, a domain check such as a name rule whose exception message names the value
   * and the rule, and returns its result. Returns null when the option was not given.
   *
   * @throws UsageException with the validator's message, prefixed by the option's name
   */
  public <T> T validate(String name, Function<String, T> validator) {
    String text = value(name);
    return text == null ? null : validateValue(name, text, validator);
  }

  /** Like {@link #validate(String, Function)} for one value of an option, such as one of a repeatable option's. */
  public static <T> T validateValue(String name, String text, Function<String, T> validator) {
    try {
      return validator.apply(text);
    } catch (RuntimeException e) {
      throw new UsageException(name + ": " + e.getMessage(), e);
    }
  }
}
