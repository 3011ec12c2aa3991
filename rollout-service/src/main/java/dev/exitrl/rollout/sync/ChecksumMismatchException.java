package dev.exitrl.rollout.sync;

import java.io.IOException;
import java.net.URI;

/** A downloaded checkpoint whose SHA-256 is not the announced one; it was deleted, never loaded. */
public final class ChecksumMismatchException extends IOException {
    public ChecksumMismatchException(URI uri, String expected, String actual) {
        super("checkpoint " + uri + " has SHA-256 " + actual + ", announced " + expected + ": refused");
    }
}
