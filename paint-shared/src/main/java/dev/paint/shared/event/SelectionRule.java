package dev.paint.shared.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Rule by which the evaluator chooses alpha from the validation accuracies of the candidates. */
public enum SelectionRule {
  /**
   * Highest mean validation accuracy over every task seen so far; ties go to the smaller alpha. This is the rule of the
   * PAINT paper (Ilharco et al., NeurIPS 2022).
   */
  MEAN_ACCURACY("mean-accuracy"),
  /**
   * Highest mean validation accuracy over the patch tasks among candidates that keep every supported task within a
   * tolerance of the lineage's first version. When no candidate qualifies, the smallest alpha.
   */
  CONSTRAINED("constrained");

  private final String id;

  SelectionRule(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static SelectionRule fromId(String id) {
    return Arrays.stream(values())
        .filter(rule -> rule.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new InvalidEventException(
            "Unknown selection rule '" + id + "': use one of " + Arrays.stream(values()).map(SelectionRule::id)
                .toList()));
  }
}
