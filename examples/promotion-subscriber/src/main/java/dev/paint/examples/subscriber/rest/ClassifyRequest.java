package dev.paint.examples.subscriber.rest;

/**
 * Images to classify.
 *
 * @param pixels {@code count} images as [N, C, H, W] values from 0 to 255, in the encoder's channels and image size
 * @param count number of images
 */
public record ClassifyRequest(int[] pixels, int count) {}
