package dev.paint.registry.rest;

/**
 * Body of {@code POST /models/{name}/rollback}.
 *
 * @param version the earlier version to deploy
 * @param note optional free text recorded in the alias history
 */
public record RollbackRequest(Integer version, String note) {}
