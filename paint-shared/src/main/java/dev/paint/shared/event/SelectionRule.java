package dev.paint.shared.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** How the evaluator chooses alpha from the validation accuracies of the candidates. */
public enum SelectionRule {
  /** Highest mean validation accuracy over every task seen so far; ties go to the smaller alpha (the paper's rule). */
  MEAN_ACCURACY("mean-accuracy"),
  /**
   * Highest mean validation accuracy over the patch tasks among candidates that keep every supported task within a
   * tolerance of the lineage's first version; the smallest alpha when none qualifies.
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
