package dev.exitrl.trainer.checkpoint;

import dev.exitrl.trainer.TrainerProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Policy versions of every experiment on disk: version v of experiment E is the directory
 * {@code {checkpointDir}/{E}/v{v}/} in Hugging Face layout plus the trainer's resume files (whatever the
 * {@link ContentWriter} puts there), a deterministic {@code policy.zip} of the inference files and
 * {@code policy.zip.sha256} (hex). The SHA-256 of {@code policy.zip} is what the trainer announces and what the
 * download endpoint sends, so a worker can check the bytes it received.
 *
 * <p>Writes are atomic ({@link AtomicDirectories}): a {@code v{n}} directory is complete by construction, and a
 * temporary directory left by a crash is ignored by every reader and removed by {@link #recover}. Versions are never
 * rewritten. Readers (the download endpoint) may run on any thread; writes, recovery and retention run on the
 * training thread only.
 *
 * <p>{@code policy.zip} is deterministic: entries in a fixed order, STORED (no compression, so the bytes do not depend
 * on the zlib build; safetensors weights barely compress anyway), a fixed timestamp and no extra fields.
 */
@Component
public class CheckpointStore {

    public static final String POLICY_ZIP = "policy.zip";
    public static final String POLICY_SHA256 = POLICY_ZIP + ".sha256";
    /** The files a worker needs for inference, in the order they are zipped. */
    public static final List<String> INFERENCE_FILES =
            List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json");

    private static final Pattern VERSION_DIR = Pattern.compile("v(0|[1-9][0-9]{0,17})");
    /** A fixed local time (no time zone involved, no extended-timestamp field written). */
    private static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);

    private final Path root;
    private final int keep;

    @Autowired
    public CheckpointStore(TrainerProperties properties) {
        this(properties.checkpointDir(), properties.keepCheckpoints());
    }

    CheckpointStore(Path root, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep-checkpoints must be >= 1, was " + keep);
        }
        this.root = root.toAbsolutePath().normalize();
        this.keep = keep;
    }

    /** Writes the files of a checkpoint into an (empty) directory. */
    @FunctionalInterface
    public interface ContentWriter {
        void write(Path dir) throws IOException;
    }

    /** A complete version: its directory, the SHA-256 (hex) and size of its {@code policy.zip}. */
    public record Checkpoint(long version, Path dir, String sha256, long bytes) {
        public Path policyZip() {
            return dir.resolve(POLICY_ZIP);
        }
    }

    /** What a write did: the checkpoint and how long it took. */
    public record Written(Checkpoint checkpoint, double seconds) {}

    public Path experimentDir(UUID experiment) {
        return root.resolve(experiment.toString());
    }

    /**
     * Writes version {@code version} atomically.
     *
     * @throws IllegalStateException when that version already exists (versions never repeat)
     */
    public Written write(UUID experiment, long version, ContentWriter content) throws IOException {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, was " + version);
        }
        long started = System.nanoTime();
        Path target = experimentDir(experiment).resolve("v" + version);
        if (Files.exists(target)) {
            throw new IllegalStateException("checkpoint " + target + " already exists: versions are never rewritten");
        }
        Path temp = AtomicDirectories.tempFor(target);
        try {
            content.write(temp);
            for (String required : INFERENCE_FILES.subList(0, 3)) {
                if (!Files.isRegularFile(temp.resolve(required))) {
                    throw new IOException("checkpoint content lacks " + required);
                }
            }
            String sha = zip(temp, temp.resolve(POLICY_ZIP));
            Files.writeString(temp.resolve(POLICY_SHA256), sha + "\n", StandardCharsets.US_ASCII);
            AtomicDirectories.publish(temp, target);
        } finally {
            AtomicDirectories.deleteTree(temp);
        }
        Checkpoint c = read(version, target).orElseThrow();
        return new Written(c, (System.nanoTime() - started) / 1e9);
    }

    /** Complete versions of the experiment, oldest first (temporary directories are not versions). */
    public List<Checkpoint> list(UUID experiment) {
        Path dir = experimentDir(experiment);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Long> versions = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = VERSION_DIR.matcher(p.getFileName().toString());
                if (m.matches() && Files.isDirectory(p)) {
                    versions.add(Long.parseLong(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new CheckpointIoException("cannot list " + dir, e);
        }
        versions.sort(null);
        List<Checkpoint> out = new ArrayList<>();
        for (long v : versions) {
            read(v, dir.resolve("v" + v)).ifPresent(out::add);
        }
        return out;
    }

    public Optional<Checkpoint> find(UUID experiment, long version) {
        if (version < 0) {
            return Optional.empty();
        }
        return read(version, experimentDir(experiment).resolve("v" + version));
    }

    /** The newest complete version, if any. */
    public Optional<Checkpoint> latest(UUID experiment) {
        List<Checkpoint> all = list(experiment);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public OptionalLong latestVersion(UUID experiment) {
        return latest(experiment).map(c -> OptionalLong.of(c.version())).orElse(OptionalLong.empty());
    }

    /** Removes what an interrupted write left behind; returns how many temporary directories went. */
    public int recover(UUID experiment) throws IOException {
        int removed = AtomicDirectories.cleanTemporaries(experimentDir(experiment));
        if (removed > 0) {
            log.warn(
                    "experiment {}: removed {} incomplete checkpoint(s) left by an interrupted write",
                    experiment,
                    removed);
        }
        return removed;
    }

    /**
     * Keeps the newest {@code keep-checkpoints} versions and every pinned one; deletes the rest. Returns the deleted
     * versions. A worker still streaming a deleted {@code policy.zip} finishes: the open file outlives its name.
     */
    public List<Long> retain(UUID experiment, Set<Long> pinned) throws IOException {
        List<Checkpoint> all = list(experiment);
        List<Long> deleted = new ArrayList<>();
        for (int i = 0; i < all.size() - keep; i++) {
            Checkpoint c = all.get(i);
            if (!pinned.contains(c.version())) {
                AtomicDirectories.deleteTree(c.dir());
                deleted.add(c.version());
            }
        }
        return deleted;
    }

    private static Optional<Checkpoint> read(long version, Path dir) {
        Path zip = dir.resolve(POLICY_ZIP);
        Path sha = dir.resolve(POLICY_SHA256);
        try {
            if (!Files.isRegularFile(zip) || !Files.isRegularFile(sha)) {
                return Optional.empty();
            }
            return Optional.of(new Checkpoint(
                    version,
                    dir,
                    Files.readString(sha, StandardCharsets.US_ASCII).strip(),
                    Files.size(zip)));
        } catch (IOException e) {
            // Deleted by retention between the listing and the read: not a version any more.
            return Optional.empty();
        }
    }

    /** Writes the deterministic {@code policy.zip} of {@code dir}'s inference files; returns its SHA-256 (hex). */
    static String zip(Path dir, Path zipFile) throws IOException {
        MessageDigest digest = sha256();
        try (OutputStream file = Files.newOutputStream(zipFile);
                DigestOutputStream hashed = new DigestOutputStream(file, digest);
                ZipOutputStream zip = new ZipOutputStream(hashed)) {
            zip.setMethod(ZipOutputStream.STORED);
            for (String name : INFERENCE_FILES) {
                Path f = dir.resolve(name);
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                ZipEntry e = new ZipEntry(name);
                long size = Files.size(f);
                e.setMethod(ZipEntry.STORED);
                e.setSize(size);
                e.setCompressedSize(size);
                e.setCrc(crc(f));
                e.setTimeLocal(ZIP_TIME);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static long crc(Path f) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }

    /** SHA-256 (hex) of a file's bytes. */
    public static String sha256Of(Path file) throws IOException {
        MessageDigest digest = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An I/O failure while reading the store from a place that cannot throw checked exceptions. */
    public static final class CheckpointIoException extends RuntimeException {
        CheckpointIoException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
