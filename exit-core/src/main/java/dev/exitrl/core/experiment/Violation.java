package dev.exitrl.core.experiment;

/** One broken configuration rule: the field and a message that states the allowed range and the value. */
public record Violation(String field, String message) {}
