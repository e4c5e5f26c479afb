/**
 * Checkpoint format shared by the services: safetensors files read and written tensor by tensor, tensor specs
 * and element types, 16-bit float conversions, and manifests that let a service verify a downloaded checkpoint.
 */
package dev.paint.shared.checkpoint;
