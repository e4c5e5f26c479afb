package dev.paint.examples.subscriber.rest;

/** The JSON body of every error response: what failed and what to do. */
public record ErrorResponse(int status, String error) {}
