package dev.paint.registry.service;

/** A requested alias move conflicts with the model's current state, such as a rollback to a version that is not older. */
public class AliasConflictException extends RuntimeException {

  public AliasConflictException(String message) {
    super(message);
  }
}
