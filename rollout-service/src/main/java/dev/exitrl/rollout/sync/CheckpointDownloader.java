package dev.exitrl.rollout.sync;

import dev.exitrl.taskapi.TaskSpaceClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Fetches an announced policy version: the checkpoint ZIP is streamed to a temporary file while its SHA-256 is
 * computed, refused (deleted, never unpacked) when the digest is not the announced one, then unpacked into a
 * temporary directory that is renamed to {@code target} in one step, so a directory that exists is complete. The
 * digest is kept beside the files ({@code .sha256}) so a restarted worker reuses an unpacked version without
 * downloading it again.
 */
public final class CheckpointDownloader {
    static final String DIGEST_FILE = ".sha256";

    private final HttpClient http;
    private final Duration timeout;
    private final String internalToken;

    /** A downloader that sends no internal token (for a checkpoint server that asks for none). */
    public CheckpointDownloader(Duration timeout) {
        this(timeout, null);
    }

    /**
     * A downloader that sends {@code internalToken} (when not null): the trainer serves checkpoints under
     * {@code /api/**}, which it answers only to callers with the token. The URIs come from the task space's
     * announcements, which only token holders can make.
     */
    public CheckpointDownloader(Duration timeout, String internalToken) {
        this(
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofSeconds(10))
                        // Never to another origin: the token must not follow a redirect elsewhere.
                        .followRedirects(internalToken == null ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER)
                        .build(),
                timeout,
                internalToken);
    }

    CheckpointDownloader(HttpClient http, Duration timeout) {
        this(http, timeout, null);
    }

    CheckpointDownloader(HttpClient http, Duration timeout, String internalToken) {
        this.http = http;
        this.timeout = timeout;
        this.internalToken = internalToken;
    }

    /**
     * Makes {@code target} hold the checkpoint at {@code uri} whose ZIP has SHA-256 {@code sha256} (hex).
     *
     * @throws ChecksumMismatchException when the downloaded bytes have another digest
     * @throws IOException on any transfer or unpacking failure (nothing is left at {@code target})
     */
    public Path fetch(URI uri, String sha256, Path target) throws IOException, InterruptedException {
        String expected = sha256.toLowerCase(Locale.ROOT);
        if (isComplete(target, expected)) {
            return target;
        }
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path zip = Files.createTempFile(parent, target.getFileName() + "-", ".zip.part");
        Path unpacked = null;
        try {
            String actual = download(uri, zip);
            if (!actual.equals(expected)) {
                throw new ChecksumMismatchException(uri, expected, actual);
            }
            unpacked = Files.createTempDirectory(parent, target.getFileName() + "-unpack-");
            unzip(zip, unpacked);
            Files.writeString(unpacked.resolve(DIGEST_FILE), expected);
            if (Files.exists(target)) {
                deleteTree(target); // an incomplete or different earlier copy
            }
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            unpacked = null;
            return target;
        } finally {
            Files.deleteIfExists(zip);
            if (unpacked != null) {
                deleteTree(unpacked);
            }
        }
    }

    static boolean isComplete(Path dir, String sha256) throws IOException {
        Path digest = dir.resolve(DIGEST_FILE);
        return Files.isRegularFile(digest) && Files.readString(digest).strip().equals(sha256);
    }

    /** Streams the body into {@code file}; returns the hex SHA-256 of the bytes received. */
    private String download(URI uri, Path file) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (internalToken != null) {
            request.header(TaskSpaceClient.INTERNAL_TOKEN_HEADER, internalToken);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            MessageDigest sha = sha256();
            try (var in = new DigestInputStream(body, sha);
                    OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            return HexFormat.of().formatHex(sha.digest());
        }
    }

    /** Unpacks regular entries under {@code dir}; an entry that would land outside it is refused. */
    static void unzip(Path zip, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        int files = 0;
        try (var in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path out = root.resolve(e.getName()).normalize();
                if (!out.startsWith(root) || out.equals(root)) {
                    throw new IOException("zip entry '" + e.getName() + "' points outside the checkpoint directory");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                Files.copy(in, out);
                files++;
            }
        }
        if (files == 0) {
            throw new IOException("checkpoint zip " + zip + " holds no files");
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
