package dev.fvec.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads many {@code .npy} descriptor files, each a 2-D {@code (N_i, D)} array (float32 or
 * float64, C order; see {@link Npy}), as one data set: the rows of all files in list order, in
 * one row-major {@code float[]} of {@code sum N_i x D}. For training a vocabulary on descriptors
 * spread over many files ({@code GmmTrainer.fit(List<Path>)}, {@code fvec train}).
 *
 * <p>Checks, each naming the file: the header is valid (else {@link NpyFormatException}); the
 * array is 2-D, every file has the same {@code D >= 1}, and the total fits one Java array (else
 * {@link IllegalArgumentException}, all found from the headers before any data is read, so the
 * last file's mismatch fails at once); every value is finite and, if asked, within a magnitude
 * bound (else {@link IllegalArgumentException} naming the file, descriptor and dimension). Values
 * are checked chunk by chunk as they are decoded, while in cache: one pass over the data.
 *
 * <p>Memory: one array of {@code sum N_i x D} floats and a 1 MiB buffer; no file is held twice.
 * Stateless and thread-safe.
 */
public final class DescriptorFiles {

    private DescriptorFiles() {
    }

    /**
     * What the headers of a list of descriptor files say: the rows of each file and their common
     * dimension. Immutable.
     */
    public static final class Layout {
        private final List<Path> files;
        private final int[] rows;
        private final int dimension;
        private final long totalRows;

        Layout(List<Path> files, int[] rows, int dimension, long totalRows) {
            this.files = files;
            this.rows = rows;
            this.dimension = dimension;
            this.totalRows = totalRows;
        }

        /** The files, in order (an unmodifiable copy of the list given). */
        public List<Path> files() {
            return files;
        }

        /** Rows {@code N_i} of file {@code i}. */
        public int rows(int i) {
            return rows[i];
        }

        /** The dimension {@code D} all files share, {@code >= 1}. */
        public int dimension() {
            return dimension;
        }

        /** {@code sum N_i}, at most {@link Npy#MAX_ELEMENTS} {@code / D}. */
        public long totalRows() {
            return totalRows;
        }

        @Override
        public String toString() {
            return "DescriptorFiles.Layout[" + files.size() + " files, " + totalRows + " x " + dimension + "]";
        }
    }

    /**
     * Reads and checks the headers only: each file is a valid 2-D {@code .npy} holding exactly the
     * data it declares, all have the same {@code D >= 1}, and the total fits one array. Use it to
     * fail early (before a long run) or to report the size of the data.
     *
     * @param files one or more {@code .npy} files
     * @throws NpyFormatException if a header is malformed or unsupported, or a file is truncated
     * @throws IllegalArgumentException if {@code files} is empty, a file is not 2-D, the files
     *     disagree on {@code D}, {@code D < 1}, or the total is more than one Java array holds
     * @throws IOException if a file cannot be read
     */
    public static Layout layout(List<Path> files) throws IOException {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no descriptor files given");
        }
        int[] rows = new int[files.size()];
        int d = -1;
        long total = 0;
        for (int f = 0; f < rows.length; f++) {
            Path file = Objects.requireNonNull(files.get(f), "files[" + f + "]");
            int[] shape = Npy.readHeader(file).shape();
            if (shape.length != 2) {
                throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape)
                        + " is not 2-D; descriptors must be an (N, D) array");
            }
            if (d < 0) {
                d = shape[1];
            } else if (shape[1] != d) {
                throw new IllegalArgumentException(file + ": descriptors have D = " + shape[1] + " but "
                        + files.get(0) + " has D = " + d);
            }
            rows[f] = shape[0];
            total += shape[0];
        }
        if (d < 1) {
            throw new IllegalArgumentException(files.get(0) + ": D = " + d + ": descriptors need D >= 1 dimensions");
        }
        if (total * d > Npy.MAX_ELEMENTS) {
            throw new IllegalArgumentException(total + " descriptors of D = " + d + " in " + rows.length
                    + " files are " + total * d + " values, more than one Java array holds (" + Npy.MAX_ELEMENTS + ")");
        }
        return new Layout(List.copyOf(files), rows, d, total);
    }

    /**
     * Reads all rows of all files into one array, requiring every value to be finite.
     *
     * @return shape {@code (sum N_i, D)}, rows in list order
     * @throws NpyFormatException as {@link #layout}, or if a file's data is damaged
     * @throws IllegalArgumentException as {@link #layout}, or if a value is NaN or infinite
     *     (names the file, the value's index in it, the descriptor and the dimension)
     * @throws IOException if a file cannot be read, or changed between its header check and its read
     */
    public static NpyArray read(List<Path> files) throws IOException {
        return read(files, Double.POSITIVE_INFINITY);
    }

    /**
     * As {@link #read(List)}, also rejecting finite values of magnitude above {@code maxAbs} (a
     * trainer's bound on what its sums can take without overflow).
     *
     * @param maxAbs the largest magnitude allowed, {@code > 0}; {@code +Infinity} for finiteness only
     */
    public static NpyArray read(List<Path> files, double maxAbs) throws IOException {
        if (!(maxAbs > 0)) {
            throw new IllegalArgumentException("maxAbs = " + maxAbs + " must be > 0");
        }
        Layout layout = layout(files);
        int d = layout.dimension;
        float[] x = new float[(int) (layout.totalRows * d)];
        int offset = 0;
        for (int f = 0; f < layout.rows.length; f++) {
            Path file = layout.files.get(f);
            readFile(file, layout.rows[f], d, x, offset, maxAbs);
            offset += layout.rows[f] * d;
        }
        return NpyArray.matrix(x, (int) layout.totalRows, d);
    }

    /** Reads one file into {@code x[offset ..]}, checking each chunk right after it is decoded. */
    private static void readFile(Path file, int rows, int d, float[] x, int offset, double maxAbs)
            throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = Npy.readHeader(ch, source);
            if (h.ndim() != 2 || h.rows() != rows || h.cols() != d) {
                throw new IOException(file + ": changed while being read (header now says "
                        + Arrays.toString(h.shape) + ", was [" + rows + ", " + d + "])");
            }
            NpyDataReader reader = new NpyDataReader(ch, h, source);
            int chunk = Npy.CHUNK_BYTES / 8; // a quarter of the decode buffer's floats: still in L2
            int n = h.size();
            for (int done = 0; done < n; ) {
                int count = Math.min(chunk, n - done);
                reader.read(x, offset + done, count);
                requireValues(source, x, offset, done, count, d, maxAbs);
                done += count;
            }
        }
    }

    /**
     * Rejects NaN, infinities and magnitudes above {@code maxAbs} in the file's values
     * {@code [from, from + count)}, stored from {@code x[offset]}; names the first one by its
     * index in the file.
     */
    private static void requireValues(String source, float[] x, int offset, int from, int count, int d,
            double maxAbs) {
        int end = offset + from + count;
        for (int i = offset + from; i < end; i++) {
            float v = x[i];
            // NaN fails both comparisons; infinities fail any bound, +Infinity's included.
            if (!(v >= -maxAbs && v <= maxAbs) || Float.isInfinite(v)) {
                int local = i - offset;
                throw new IllegalArgumentException(source + ": value " + local + " = " + v + " (descriptor "
                        + local / d + ", dimension " + local % d + "): every descriptor value must be finite"
                        + (Float.isFinite(v) ? " and of magnitude <= " + maxAbs : ""));
            }
        }
    }
}
