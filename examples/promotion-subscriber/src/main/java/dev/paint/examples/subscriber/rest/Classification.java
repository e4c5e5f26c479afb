package dev.paint.examples.subscriber.rest;

import java.util.List;

/** The predicted class name of each image, in request order, and the model version that predicted them. */
public record Classification(String modelName, int version, String task, List<String> predictions) {}
