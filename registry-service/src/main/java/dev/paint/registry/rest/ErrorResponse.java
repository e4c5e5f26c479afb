package dev.paint.registry.rest;

/** The JSON body of every error response: {@code {"error": "..."}}. */
public record ErrorResponse(String error) {}
