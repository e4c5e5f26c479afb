package dev.paint.shared.model;

/** The training loss became NaN or infinite; the learning rate is usually too high. */
public class TrainingDivergedException extends RuntimeException {

  public TrainingDivergedException(String message) {
    super(message);
  }
}
