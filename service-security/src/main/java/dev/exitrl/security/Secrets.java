package dev.exitrl.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Constant-time comparison of secrets: both sides are hashed first, so {@link MessageDigest#isEqual} compares two
 * arrays of the same length and neither the time taken nor an early exit reveals the secret's length or prefix.
 */
public final class Secrets {
    private Secrets() {}

    /** SHA-256 of the UTF-8 bytes of {@code secret}. */
    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** Whether {@code presented} (may be null) hashes to {@code expectedHash}, in time independent of both. */
    public static boolean matches(String presented, byte[] expectedHash) {
        byte[] actual = sha256(presented == null ? "" : presented);
        return MessageDigest.isEqual(actual, expectedHash) && presented != null;
    }
}
