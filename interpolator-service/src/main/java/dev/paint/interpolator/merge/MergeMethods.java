package dev.paint.interpolator.merge;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Registry of the merge methods, looked up by the name that configuration gives. */
public final class MergeMethods {

  private static final Map<String, MergeMethod> METHODS = Map.of(LinearMerge.NAME, new LinearMerge());

  private MergeMethods() {
  }

  /**
   * Returns the merge method of this name.
   *
   * @throws IllegalArgumentException when no method has this name, listing the names that exist
   */
  public static MergeMethod byName(String name) {
    MergeMethod method = METHODS.get(name);
    if (method == null) {
      throw new IllegalArgumentException("Unknown merge method '" + name + "'; supported methods are "
          + names() + ".");
    }
    return method;
  }

  /** Returns the names of all merge methods, sorted. */
  public static Set<String> names() {
    return new TreeSet<>(METHODS.keySet());
  }
}
