package dev.paint.interpolator.merge;

import dev.paint.shared.checkpoint.CheckpointException;

/**
 * Error raised when two checkpoints cannot be merged because their tensor names, dtypes or shapes differ,
 * which happens when the fine-tuned checkpoint does not come from the base model.
 */
public class IncompatibleCheckpointsException extends CheckpointException {

  public IncompatibleCheckpointsException(String message) {
    super(message);
  }
}
