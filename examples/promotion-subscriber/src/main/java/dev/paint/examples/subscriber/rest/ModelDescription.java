package dev.paint.examples.subscriber.rest;

import java.util.List;

/** The served model version and its tasks, as {@code GET /model} returns it. */
public record ModelDescription(String modelName, int version, String encoderSha256, List<String> tasks) {}
