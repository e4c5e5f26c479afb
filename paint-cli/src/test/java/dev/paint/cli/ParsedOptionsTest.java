package dev.paint.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedOptionsTest {

  private static final List<OptionSpec> SPECS = List.of(
      OptionSpec.value("--name", "NAME", "a name"),
      OptionSpec.value("--epochs", "N", "a count"),
      OptionSpec.repeated("--head", "SPEC", "a head"),
      OptionSpec.flag("--wait", "a flag"));

  @Test
  void separateAndEqualsFormsParse() {
    ParsedOptions options = ParsedOptions.parse("cmd", List.of("--name", "digits", "--epochs=3", "--wait"), SPECS);

    assertThat(options.value("--name")).isEqualTo("digits");
    assertThat(options.positiveInteger("--epochs")).isEqualTo(3);
    assertThat(options.flag("--wait")).isTrue();
    assertThat(options.helpRequested()).isFalse();
  }

  @Test
  void absentOptionsReadAsNullOrFalse() {
    ParsedOptions options = ParsedOptions.parse("cmd", List.of(), SPECS);

    assertThat(options.value("--name")).isNull();
    assertThat(options.positiveInteger("--epochs")).isNull();
    assertThat(options.values("--head")).isEmpty();
    assertThat(options.flag("--wait")).isFalse();
  }

  @Test
  void repeatableOptionKeepsOrder() {
    ParsedOptions options = ParsedOptions.parse("cmd", List.of("--head", "b=x=1", "--head=a=y=2"), SPECS);

    assertThat(options.values("--head")).containsExactly("b=x=1", "a=y=2");
  }

  @Test
  void helpStopsParsing() {
    ParsedOptions options = ParsedOptions.parse("cmd", List.of("--name", "x", "--help", "--unknown"), SPECS);

    assertThat(options.helpRequested()).isTrue();
  }

  @Test
  void unknownOptionNamesOptionAndCommand() {
    assertThatThrownBy(() -> ParsedOptions.parse("cmd", List.of("--nmae", "x"), SPECS))
        .isInstanceOf(UsageException.class)
        .hasMessage("Unknown option --nmae for command cmd");
  }

  @Test
  void missingValueNamesOption() {
    assertThatThrownBy(() -> ParsedOptions.parse("cmd", List.of("--name"), SPECS))
        .isInstanceOf(UsageException.class)
        .hasMessage("Missing value for option --name: give --name NAME");
  }

  @Test
  void flagWithValueIsRejected() {
    assertThatThrownBy(() -> ParsedOptions.parse("cmd", List.of("--wait=yes"), SPECS))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--wait takes no value")
        .hasMessageContaining("'yes'");
  }

  @Test
  void singleOptionGivenTwiceIsRejected() {
    assertThatThrownBy(() -> ParsedOptions.parse("cmd", List.of("--name", "a", "--name", "b"), SPECS))
        .isInstanceOf(UsageException.class)
        .hasMessage("Option --name is given twice: give it once");
  }

  @Test
  void positionalArgumentIsRejected() {
    assertThatThrownBy(() -> ParsedOptions.parse("cmd", List.of("digits"), SPECS))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("Unexpected argument 'digits' for command cmd");
  }

  @Test
  void invalidNumberNamesOptionAndValue() {
    ParsedOptions zero = ParsedOptions.parse("cmd", List.of("--epochs", "0"), SPECS);
    ParsedOptions text = ParsedOptions.parse("cmd", List.of("--epochs", "three"), SPECS);

    assertThatThrownBy(() -> zero.positiveInteger("--epochs"))
        .isInstanceOf(UsageException.class)
        .hasMessage("Invalid value '0' for option --epochs: expected a positive integer");
    assertThatThrownBy(() -> text.positiveInteger("--epochs"))
        .isInstanceOf(UsageException.class)
        .hasMessage("Invalid value 'three' for option --epochs: expected a positive integer");
  }

  @Test
  void requiredOptionMissingSaysWhatToGive() {
    ParsedOptions options = ParsedOptions.parse("cmd", List.of(), SPECS);

    assertThatThrownBy(() -> options.required("--name", "the dataset name"))
        .isInstanceOf(UsageException.class)
        .hasMessage("Missing option --name for command cmd: give the dataset name");
  }
}
