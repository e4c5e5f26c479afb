package dev.paint.shared.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Chooses where training and evaluation run. */
public final class Devices {

  private Devices() {}

  /**
   * Returns the first GPU when {@code preferGpu} is set and the PyTorch engine detects one, the CPU otherwise. The
   * PyTorch native library in this build is the CPU one, so a GPU needs the CUDA variant on the classpath.
   */
  public static Device select(boolean preferGpu) {
    if (preferGpu && Engine.getInstance().getGpuCount() > 0) {
      return Device.gpu();
    }
    return Device.cpu();
  }

  /** "gpu" or "cpu", a small fixed set for metric tags. */
  public static String kind(Device device) {
    return device.isGpu() ? "gpu" : "cpu";
  }
}
