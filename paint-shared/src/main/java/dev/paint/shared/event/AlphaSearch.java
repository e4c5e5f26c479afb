package dev.paint.shared.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * How many candidates of the alpha grid are written and evaluated. The interpolator writes the first round, and the
 * evaluator requests any later round.
 */
public enum AlphaSearch {
  /** Every alpha of the grid, in one round. */
  GRID("grid"),
  /**
   * The grid's endpoints and middle first, then one alpha per round next to the best so far at half the previous
   * distance, until at most half of the grid is evaluated.
   */
  COARSE_TO_FINE("coarse-to-fine");

  private final String id;

  AlphaSearch(String id) {
    this.id = id;
  }

  @JsonValue
  public String id() {
    return id;
  }

  @JsonCreator
  public static AlphaSearch fromId(String id) {
    return Arrays.stream(values())
        .filter(search -> search.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new InvalidEventException(
            "Unknown alpha search '" + id + "': use one of " + Arrays.stream(values()).map(AlphaSearch::id).toList()));
  }

  /**
   * Returns the alphas of the first round for a sorted grid without duplicates: the whole grid, or its first, middle and
   * last alpha. The endpoints reproduce the base and the fine-tuned encoder, which the report measures anyway.
   */
  public List<Double> firstRound(List<Double> grid) {
    EventValidation.requireNonEmpty(grid, "grid");
    if (this == GRID) {
      return List.copyOf(grid);
    }
    int last = grid.size() - 1;
    return List.copyOf(new TreeSet<>(List.of(grid.get(0), grid.get(last / 2), grid.get(last))));
  }
}
