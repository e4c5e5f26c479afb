package dev.paint.examples.subscriber.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.paint.shared.event.CheckpointRef;
import dev.paint.shared.model.EncoderSpec;

/**
 * The fields of registry-service's model version that a subscriber reads. The registry returns more (lineage,
 * accuracies, tasks), which are ignored here so that new registry fields never break the subscriber.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RegisteredVersion(String modelName, int version, CheckpointRef encoder, EncoderSpec architecture) {}
