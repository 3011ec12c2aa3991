package dev.exitrl.task.web;

/** A named resource that does not exist; answered with HTTP 404. */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String what, Object id) {
        super(what + " " + id + " not found");
    }
}
