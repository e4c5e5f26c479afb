package dev.paint.examples.subscriber.service;

import dev.paint.shared.model.ClassificationHead;
import java.util.List;

/** One task of the served model: its class names, in the order of the head's rows, and its frozen head. */
public record ServedTask(String name, List<String> classNames, ClassificationHead head) {}
