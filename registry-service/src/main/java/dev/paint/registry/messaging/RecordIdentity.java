package dev.paint.registry.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paint.shared.event.EventValidation;
import dev.paint.shared.event.InvalidEventException;
import dev.paint.shared.json.Json;

/**
 * The task id and model name of a record that could not be parsed as an event, read leniently from its JSON so that
 * the failure can still be reported for the right task.
 *
 * @param taskId the record's {@code task.taskId}, or null when it is missing or not a valid id
 * @param modelName the record's {@code base.modelName}, else its {@code task.modelName}, else its key, or null when
 *     none of them is a valid id
 */
record RecordIdentity(String taskId, String modelName) {

  static RecordIdentity of(String payload, Object recordKey) {
    JsonNode root = readTree(payload);
    String taskId = validId(root.at("/task/taskId").asText(null));
    String modelName = validId(root.at("/base/modelName").asText(null));
    if (modelName == null) {
      modelName = validId(root.at("/task/modelName").asText(null));
    }
    if (modelName == null && recordKey != null) {
      modelName = validId(recordKey.toString());
    }
    return new RecordIdentity(taskId, modelName);
  }

  private static JsonNode readTree(String payload) {
    if (payload == null) {
      return Json.mapper().missingNode();
    }
    try {
      return Json.mapper().readTree(payload);
    } catch (Exception e) {
      return Json.mapper().missingNode();
    }
  }

  private static String validId(String value) {
    try {
      return value == null ? null : EventValidation.requireId(value, "id");
    } catch (InvalidEventException e) {
      return null;
    }
  }
}
