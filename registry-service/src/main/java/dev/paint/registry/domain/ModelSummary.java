package dev.paint.registry.domain;

/**
 * A registered model as listed by the registry.
 *
 * @param deployedVersion the version the {@code deployed} alias points at, null when none is deployed
 * @param latestVersion the highest version number
 */
public record ModelSummary(String name, Integer deployedVersion, int latestVersion, int versionCount) {}
