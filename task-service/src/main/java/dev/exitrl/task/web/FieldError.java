package dev.exitrl.task.web;

/** One rejected field of a request: its name (a JSON path such as {@code config.kappa}) and what is wrong. */
public record FieldError(String field, String message) {}
