package dev.exitrl.policy;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared Hugging Face fixtures: {@code EXIT_FIXTURES} (system property or environment variable) first,
 * else the first {@code shared/fixtures/hf-tiny} found walking up from the working directory.
 */
public final class Fixtures {

    private Fixtures() {}

    public static Path hfTiny() {
        String explicit = System.getProperty("EXIT_FIXTURES", System.getenv("EXIT_FIXTURES"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            Path nested = p.resolve("hf-tiny");
            return Files.isDirectory(nested) ? nested : p;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/fixtures/hf-tiny");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(
                "shared/fixtures/hf-tiny not found above " + Path.of("").toAbsolutePath() + "; set EXIT_FIXTURES");
    }
}
