package dev.exitrl.trainer.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Publishing a directory all at once: files are written into a temporary sibling (same file system, so the rename is
 * atomic), every file and the directory are forced to disk, then the directory is renamed to its final name and the
 * parent is forced. A reader therefore sees either no directory or a complete one; a crash leaves only a temporary
 * directory, whose name starts with {@link #TEMP_PREFIX} and which readers ignore.
 */
public final class AtomicDirectories {

    public static final String TEMP_PREFIX = ".tmp-";

    private AtomicDirectories() {}

    /** A fresh temporary directory beside {@code target} (created, with its parent). */
    public static Path tempFor(Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return Files.createDirectory(parent.resolve(TEMP_PREFIX + target.getFileName() + "-"
                + UUID.randomUUID().toString().substring(0, 8)));
    }

    /**
     * Forces {@code temp}'s files and the directory to disk and renames it to {@code target}.
     *
     * @throws FileAlreadyExistsException when {@code target} exists (a published directory is never replaced)
     */
    public static void publish(Path temp, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(temp)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            force(f, false);
        }
        force(temp, true);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "already published");
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        force(target.toAbsolutePath().getParent(), true);
    }

    /** Deletes a directory tree (no error when it is absent). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Deletes every temporary directory left in {@code parent} by an interrupted write; returns how many. */
    public static int cleanTemporaries(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return 0;
        }
        List<Path> temps;
        try (Stream<Path> s = Files.list(parent)) {
            temps = s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .toList();
        }
        for (Path t : temps) {
            deleteTree(t);
        }
        return temps.size();
    }

    private static void force(Path path, boolean directory) throws IOException {
        // Linux lets a directory be opened read-only and fsync'ed, which makes the entries it holds durable.
        try (FileChannel ch = FileChannel.open(path, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e;
            }
            // Some file systems refuse to open directories; the files themselves are already forced.
        }
    }
}
