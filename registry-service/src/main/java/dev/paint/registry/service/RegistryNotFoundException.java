package dev.paint.registry.service;

/** A model, model version or deployed alias that a request names does not exist. */
public class RegistryNotFoundException extends RuntimeException {

  public RegistryNotFoundException(String message) {
    super(message);
  }
}
