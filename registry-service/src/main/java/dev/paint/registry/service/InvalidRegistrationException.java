package dev.paint.registry.service;

/** A request to register a model version is incomplete or refers to checkpoints that are not in the object store. */
public class InvalidRegistrationException extends RuntimeException {

  public InvalidRegistrationException(String message) {
    super(message);
  }
}
