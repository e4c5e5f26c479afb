package dev.paint.shared.checkpoint;

/**
 * Error raised when a checkpoint file or manifest is malformed: a safetensors header that breaks the
 * format, tensor data that does not match its declared layout, or a non-finite value where finite
 * values are required.
 */
public class CheckpointFormatException extends CheckpointException {

  public CheckpointFormatException(String message) {
    super(message);
  }

  public CheckpointFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
