package dev.paint.shared.event;

/** Whether a task was handled by the model before any patch, or was added by patching. */
public enum TaskRole {
  SUPPORTED,
  PATCH
}
