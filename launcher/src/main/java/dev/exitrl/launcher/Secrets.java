package dev.exitrl.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local platform's secrets, generated once into {@code data/secrets/} (directory 700, files 600) and read back
 * on every later start: the database password, the internal service token, and the demo's read-write API key
 * ({@code demo:write:<random>}, the gateway's {@code name:role:key} form). Values are never printed.
 *
 * @param dbPassword    password of the database user {@code exit}
 * @param internalToken {@code X-Exit-Internal-Token} between the services
 * @param apiKeyEntry   the gateway's key entry {@code demo:write:<key>}
 */
public record Secrets(Path dir, String dbPassword, String internalToken, String apiKeyEntry) {
    private static final SecureRandom RANDOM = new SecureRandom();

    static Secrets loadOrCreate(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("secrets");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        var secrets = new Secrets(
                dir,
                readOrCreate(dir.resolve("db-password"), random()),
                readOrCreate(dir.resolve("internal-token"), random()),
                readOrCreate(dir.resolve("api-keys"), "demo:write:" + random()));
        // The bare key too, for scripts: EXIT_API_KEY=$(cat data/secrets/api-key)
        readOrCreate(secrets.apiKeyFile(), secrets.apiKey());
        return secrets;
    }

    /** The bearer token clients send (the key part of the entry). */
    public String apiKey() {
        return apiKeyEntry.substring(apiKeyEntry.lastIndexOf(':') + 1);
    }

    Path dbPasswordFile() {
        return dir.resolve("db-password");
    }

    public Path apiKeyFile() {
        return dir.resolve("api-key");
    }

    private static String random() {
        var bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String readOrCreate(Path file, String fresh) throws IOException {
        if (!Files.exists(file)) {
            try {
                // Created with mode 600 before anything is written, so the secret is never world-readable.
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, fresh + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            } catch (FileAlreadyExistsException raced) {
                // another start created it first: read theirs
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String value = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
            throw new IllegalStateException(file + " is empty; delete it to generate a new secret");
        }
        return value;
    }
}
