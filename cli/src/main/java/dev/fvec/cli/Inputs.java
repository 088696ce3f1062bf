package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyBuffer;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading the command's input files, with errors that name the file: the model, descriptor
 * headers (checked before any work starts), whole descriptor files; and the {@code --out} check.
 * ({@code fvec train} hands its files to {@code GmmTrainer.fit(List<Path>)}, which reads them.)
 */
final class Inputs {

    private Inputs() {
    }

    /** The shape of a 2-D descriptor file, from its header. */
    static final class Shape {
        final int rows;
        final int cols;

        Shape(int rows, int cols) {
            this.rows = rows;
            this.cols = cols;
        }
    }

    /** The positional INPUT.npy arguments; at least one, each an existing regular file. */
    static List<Path> paths(List<String> args) throws CliException {
        if (args.isEmpty()) {
            throw new CliException("no INPUT.npy given: name at least one descriptor file (as arguments, in an"
                    + " @argfile, or with --inputs-from)");
        }
        List<Path> paths = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.exists(p)) {
                throw new CliException(a + ": no such file");
            }
            if (!Files.isRegularFile(p)) {
                throw new CliException(a + ": not a regular file");
            }
            paths.add(p);
        }
        return paths;
    }

    /** A required option's value, which must not be empty. */
    static String nonEmpty(String option, String value) throws CliException {
        if (value.isEmpty()) {
            throw new CliException(option + " is empty");
        }
        return value;
    }

    /**
     * Checks {@code --out} before any work is done: its directory exists and is writable, and it
     * is not a directory itself, so a long run does not fail at the very end. The file itself is
     * written with {@link dev.fvec.io.AtomicFile} (all or nothing, umask permissions, forced).
     */
    static Path outputFile(String option, String value) throws CliException {
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
        return target;
    }

    static DiagonalGmm readModel(Path path) throws CliException, IOException {
        if (!Files.exists(path)) {
            throw new CliException("--model " + path + ": no such file");
        }
        try {
            return Npz.readModel(path);
        } catch (IllegalArgumentException e) { // a well-formed file holding an invalid model
            throw new CliException(path + ": not a valid model: " + e.getMessage(), e);
        }
    }

    /** The header's shape, which must be 2-D. */
    static Shape shape(Path path) throws CliException, IOException {
        int[] shape = Npy.readHeader(path).shape();
        return checkShape(path, shape);
    }

    private static Shape checkShape(Path path, int[] shape) throws CliException {
        if (shape.length != 2) {
            throw new CliException(path + " is a " + shape.length + "-D array; descriptors must be 2-D (N x D)");
        }
        return new Shape(shape[0], shape[1]);
    }

    /**
     * Reads a whole descriptor file into {@code buffer} (reused from file to file), checked to be
     * 2-D, finite, and shaped as {@code expected}, the shape its header had when the run started.
     */
    static void read(Path path, Shape expected, NpyBuffer buffer) throws CliException, IOException {
        Npy.readInto(path, buffer);
        Shape s = checkShape(path, buffer.shape());
        if (s.rows != expected.rows || s.cols != expected.cols) {
            throw new CliException(path + " changed while being read: its shape is now (" + s.rows + ", " + s.cols
                    + "), it was (" + expected.rows + ", " + expected.cols + ")");
        }
        requireFinite(path, buffer.data(), 0, s.rows, s.cols);
    }

    /** Fails naming the file, descriptor (row) and dimension (column) of the first NaN or infinity in {@code rows x cols} at {@code offset}. */
    static void requireFinite(Path path, float[] x, int offset, int rows, int cols) throws CliException {
        // The library's own scan (FisherEncoder checks its input with it too): one method for the JIT to
        // compile instead of two copies of the same loop, each compiled by C1 and then C2 twice (on-stack
        // replacement, then whole), ~40 ms of a 300-file encode's CPU time on the 2-core Zen 5.
        int i = dev.fvec.internal.Checks.firstNonFinite(x, offset, offset + rows * cols);
        if (i >= 0) {
            throw new CliException(path + ": descriptor " + (i - offset) / cols + ", dimension "
                    + (i - offset) % cols + " is " + x[i] + "; every descriptor value must be finite");
        }
    }
}
