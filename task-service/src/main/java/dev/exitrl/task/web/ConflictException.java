package dev.exitrl.task.web;

/** A request that is well-formed but not allowed in the resource's current state; answered with HTTP 409. */
public class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
