package dev.paint.demo;

import dev.paint.shared.dataset.BuiltinDataset;
import java.util.List;

/**
 * A patch task the demo submits: the task's name, the stored dataset it trains and is measured on, and its classes.
 *
 * @param classNames class names in label order, equal to the dataset's
 */
public record PatchTaskSpec(String task, String dataset, List<String> classNames) {

  public PatchTaskSpec {
    classNames = List.copyOf(classNames);
  }

  /** Returns the task on a built-in dataset, named after the dataset. */
  public static PatchTaskSpec of(BuiltinDataset dataset) {
    return new PatchTaskSpec(dataset.key(), dataset.key(), dataset.classNames());
  }
}
