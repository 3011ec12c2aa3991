package dev.exitrl.gateway;

import dev.exitrl.security.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The callers' API keys, kept only as SHA-256 hashes. A presented key is hashed once and compared with every key in
 * constant time ({@link MessageDigest#isEqual} over equal-length hashes, no early exit), so neither the answer's time
 * nor its content tells how close a guess was. Parse errors name the entry (its position and name), never the key.
 */
final class ApiKeys {
    /** Shortest key accepted: a short key could be guessed through the gateway. */
    static final int MIN_KEY_LENGTH = 16;

    enum Role {
        READ,
        WRITE;

        /** Whether a caller with this role may send {@code method}: read keys only GET and HEAD. */
        boolean allows(String method) {
            return this == WRITE || method.equals("GET") || method.equals("HEAD");
        }
    }

    record ApiKey(String name, Role role, byte[] hash) {}

    private final List<ApiKey> keys;

    ApiKeys(List<ApiKey> keys) {
        this.keys = List.copyOf(keys);
    }

    /** The keys of {@code exit.gateway.api-keys} (comma-separated) and {@code exit.gateway.api-keys-file}. */
    static ApiKeys of(String property, Path file) {
        var keys = new ArrayList<ApiKey>();
        if (property != null) {
            int position = 0;
            for (String entry : property.split(",")) {
                position++;
                if (!entry.isBlank()) {
                    keys.add(parse(entry.strip(), "exit.gateway.api-keys entry " + position));
                }
            }
        }
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("exit.gateway.api-keys-file " + file + " cannot be read", e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    keys.add(parse(line, file + " line " + (i + 1)));
                }
            }
        }
        Set<String> names = keys.stream().map(ApiKey::name).collect(Collectors.toSet());
        if (names.size() != keys.size()) {
            throw new IllegalStateException("API key names must be unique (they name the caller in the log)");
        }
        return new ApiKeys(keys);
    }

    private static ApiKey parse(String entry, String where) {
        String[] parts = entry.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalStateException(where + " is not name:role:key");
        }
        String name = parts[0].strip();
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalStateException(where + ": the name must be letters, digits, '.', '_' or '-'");
        }
        Role role;
        try {
            role = Role.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + " ('" + name + "'): the role must be read or write");
        }
        String key = parts[2].strip();
        if (key.length() < MIN_KEY_LENGTH) {
            throw new IllegalStateException(where + " ('" + name + "'): the key is shorter than " + MIN_KEY_LENGTH
                    + " characters; use a random one (e.g. openssl rand -hex 32)");
        }
        return new ApiKey(name, role, Secrets.sha256(key));
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    List<ApiKey> all() {
        return keys;
    }

    /** The key {@code presented} is, if any; compares with every key whatever matches. */
    Optional<ApiKey> find(String presented) {
        byte[] hash = Secrets.sha256(presented);
        ApiKey found = null;
        for (ApiKey key : keys) {
            if (MessageDigest.isEqual(hash, key.hash()) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }
}
