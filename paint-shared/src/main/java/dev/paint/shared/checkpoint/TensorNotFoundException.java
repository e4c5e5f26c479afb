package dev.paint.shared.checkpoint;

/** Error raised when a checkpoint has no tensor of the requested name. */
public class TensorNotFoundException extends CheckpointException {

  public TensorNotFoundException(String message) {
    super(message);
  }
}
