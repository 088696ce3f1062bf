package dev.fvec.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a result file all-or-nothing: into a temporary file in the target's directory, then one
 * atomic rename. A failure (or Ctrl-C) never leaves a partial {@code --out} behind, and an existing
 * file is only replaced by a complete one.
 */
final class OutputFile {

    /** Writes the whole content to {@code tmp}. */
    interface Writer {
        void write(Path tmp) throws IOException, CliException;
    }

    private final Path target;

    private OutputFile(Path target) {
        this.target = target;
    }

    /**
     * Checks {@code --out} before any work is done: its directory exists and it is not a directory
     * itself, so a long run does not fail at the very end.
     */
    static OutputFile check(String option, String value) throws CliException {
        Path target = Path.of(value).toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw new CliException(option + " " + value + " is a directory; expected a file name");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(option + " " + value + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(option + " " + value + ": directory " + dir + " is not writable");
        }
        return new OutputFile(target);
    }

    Path target() {
        return target;
    }

    /** Runs {@code writer} on a temporary file next to the target, then renames it onto the target. */
    void write(Writer writer) throws IOException, CliException {
        Path dir = target.getParent();
        String name = target.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // Keep the extension last, in case a writer cares about it (numpy.savez appends .npz otherwise).
        String suffix = ".tmp" + (dot > 0 ? name.substring(dot) : "");
        Path tmp = Files.createTempFile(dir, "." + name + ".", suffix);
        tmp.toFile().deleteOnExit(); // covers Ctrl-C; a no-op once the file has been renamed
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
