package dev.fvec.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file all-or-nothing: the content goes to a temporary file in the target's directory,
 * is forced to disk, and is then renamed over the target in one atomic move (and the directory
 * forced, where the platform allows it). Readers see the old file or the complete new one, never
 * a partial one; after a crash or power loss the target is the old file or the new one.
 *
 * <p>Every file fvec writes goes through here: {@link Npy#write}, {@link Npz#writeModel} and the
 * command line's {@code --out}.
 *
 * <p>Permissions: a new file gets the same mode as one made by {@link Files#newOutputStream}
 * ({@code 0666} less the process umask, so {@code 0644} under umask {@code 022}); the temporary
 * file is deliberately not made with {@link Files#createTempFile}, whose owner-only {@code 0600}
 * the rename would keep. A file that is replaced keeps its POSIX permissions, as it would if it
 * were overwritten in place (its owner and ACLs are not copied).
 *
 * <p>Failures: if the writer throws, or forcing or moving fails, the temporary file is deleted
 * and the target is left as it was. If the JVM is stopped while writing (Ctrl-C), a shutdown hook
 * deletes the temporary files still in progress; only a hard kill can leave one behind, named
 * {@code .<target name>.<random hex>.tmp}.
 *
 * <p>Thread-safe: concurrent writes of different targets are independent; concurrent writes of
 * the same target each produce a complete file and the last move wins.
 */
public final class AtomicFile {

    /**
     * Writes the content of a file through an open channel, positioned at 0. It must not close
     * the channel: forcing and closing are {@link AtomicFile}'s job.
     *
     * @param <E> a checked exception the writer may throw besides {@link IOException}
     */
    @FunctionalInterface
    public interface Writer<E extends Exception> {
        /**
         * Writes the whole content.
         *
         * @param channel the temporary file, open for writing (and positional reads and writes)
         * @throws IOException if writing fails; the temporary file is then deleted
         * @throws E the writer's own failure; the temporary file is then deleted
         */
        void write(FileChannel channel) throws IOException, E;
    }

    /** Opens the temporary file; a seam for tests that must see or fail {@code force}. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path tmp) throws IOException;
    }

    private static final Opener CREATE_NEW = tmp -> FileChannel.open(tmp,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);

    // Temporary files being written right now, for the shutdown hook. Entries leave the set when
    // their write ends either way, so it stays as small as the number of writes in progress.
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    private static final Object HOOK_LOCK = new Object();
    private static boolean hookInstalled;

    private AtomicFile() {
    }

    /**
     * Writes {@code file} atomically with the content {@code writer} produces.
     *
     * @param file the target; its directory must exist. An existing file is replaced (keeping
     *     its permissions); a directory cannot be.
     * @param writer produces the content; called once, on the calling thread
     * @throws IOException if the temporary file cannot be made, written, forced or moved; the
     *     target is then unchanged and the temporary file deleted
     * @throws E what {@code writer} throws, after the temporary file was deleted
     */
    public static <E extends Exception> void write(Path file, Writer<E> writer) throws IOException, E {
        write(file, writer, CREATE_NEW);
    }

    static <E extends Exception> void write(Path file, Writer<E> writer, Opener opener) throws IOException, E {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null) {
            throw new IOException(file + ": not a file name (no parent directory)");
        }
        installHook();
        Path tmp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + ".tmp");
            IN_PROGRESS.add(tmp);
            try {
                ch = opener.open(tmp);
            } catch (FileAlreadyExistsException e) {
                IN_PROGRESS.remove(tmp);
                if (attempt >= 10) {
                    throw e;
                }
            } catch (IOException | RuntimeException | Error e) {
                IN_PROGRESS.remove(tmp);
                throw e;
            }
        }
        boolean moved = false;
        try {
            try (FileChannel open = ch) {
                writer.write(open);
                // Data (and size) on disk before the rename makes it visible: otherwise a crash
                // soon after could leave the target renamed but empty.
                open.force(true);
            }
            keepPermissions(target, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException e) {
                    // The original failure matters more than a stray temporary file.
                }
            }
            IN_PROGRESS.remove(tmp);
        }
    }

    /** Gives {@code tmp} the POSIX permissions of {@code target} if it exists; else leaves the umask's. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (old == null || !Files.isRegularFile(target)) {
            return; // not POSIX, or nothing (or not a plain file) to take the mode from
        }
        Set<PosixFilePermission> mode;
        try {
            mode = old.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return; // removed meanwhile: the new file is a new file
        }
        Files.setPosixFilePermissions(tmp, mode);
    }

    /**
     * Forces the directory entry of the rename to disk, so that after a power loss the target is
     * the new file rather than possibly the old one. Best effort: some platforms cannot open a
     * directory as a channel, and the file is complete and in place whatever happens here.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // Not supported here (Windows), or the directory vanished: nothing to undo.
        }
    }

    private static void installHook() {
        synchronized (HOOK_LOCK) {
            if (hookInstalled) {
                return;
            }
            hookInstalled = true;
        }
        Thread hook = new Thread(() -> {
            for (Path tmp : IN_PROGRESS) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException | RuntimeException e) {
                    // Shutting down: nothing better to do.
                }
            }
        }, "fvec-atomic-file-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the write will fail or finish on its own.
        }
    }
}
