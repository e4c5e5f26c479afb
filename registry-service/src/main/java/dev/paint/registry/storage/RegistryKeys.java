package dev.paint.registry.storage;

import java.util.Locale;

/**
 * The registry's layout in the object store. Numbers are zero-padded to six digits so that a lexicographic listing is
 * also a numeric one, up to version and history entry 999999.
 */
public final class RegistryKeys {

  /** Prefix of every registry record. */
  public static final String ROOT = "registry/";

  private RegistryKeys() {}

  public static String modelPrefix(String modelName) {
    return ROOT + modelName + "/";
  }

  public static String versionsPrefix(String modelName) {
    return modelPrefix(modelName) + "versions/";
  }

  public static String version(String modelName, int version) {
    return versionsPrefix(modelName) + String.format(Locale.ROOT, "%06d", version) + ".json";
  }

  public static String deployed(String modelName) {
    return modelPrefix(modelName) + "deployed.json";
  }

  public static String historyPrefix(String modelName) {
    return modelPrefix(modelName) + "history/";
  }

  public static String history(String modelName, int sequence) {
    return historyPrefix(modelName) + String.format(Locale.ROOT, "%06d", sequence) + ".json";
  }

  /** Marker of a patch task whose ModelPromoted event the broker acknowledged. */
  public static String announced(String modelName, String taskId) {
    return modelPrefix(modelName) + "announced/" + taskId + ".json";
  }

  /** Returns the model name of a key under {@link #ROOT}, or null when the key has no model segment. */
  static String modelNameOf(String key) {
    if (!key.startsWith(ROOT)) {
      return null;
    }
    int end = key.indexOf('/', ROOT.length());
    return end > ROOT.length() ? key.substring(ROOT.length(), end) : null;
  }
}
