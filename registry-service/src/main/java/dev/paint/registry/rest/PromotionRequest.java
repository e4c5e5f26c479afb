package dev.paint.registry.rest;

/**
 * Body of {@code POST /models/{name}/promote}.
 *
 * @param version the newer version to deploy
 * @param expectedDeployedVersion the version the caller saw deployed; the promotion fails with 409 when another one is
 * @param note optional free text recorded in the alias history
 */
public record PromotionRequest(Integer version, Integer expectedDeployedVersion, String note) {}
