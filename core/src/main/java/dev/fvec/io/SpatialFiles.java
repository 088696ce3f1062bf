package dev.fvec.io;

import dev.fvec.DiagonalGmm;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The files of the spatial layout (SPEC.md, "Files"):
 * <ul>
 *   <li>an image with positions: a {@code .npz} with {@code descriptors (N, D)} and
 *       {@code positions (N, 2)} (float32 or float64; x, y in pixels, origin top-left) and
 *       {@code image_size (2,)} ({@code W, H}: positive integral values of any numeric dtype), as
 *       {@code numpy.savez(path, descriptors=x, positions=p, image_size=(w, h))} writes it;</li>
 *   <li>the optional model keys {@code spatial_means (K, 2)} and {@code spatial_variances (K, 2)}.</li>
 * </ul>
 * Archives are read with {@link Npz}'s limits and checks. Stateless and thread-safe.
 */
public final class SpatialFiles {

    /** The keys of an image archive. */
    public static final String DESCRIPTORS = "descriptors";
    /** Positions, {@code (N, 2)}. */
    public static final String POSITIONS = "positions";
    /** Image size {@code (W, H)}. */
    public static final String IMAGE_SIZE = "image_size";
    /** Model key: spatial means {@code (K, 2)}. */
    public static final String SPATIAL_MEANS = "spatial_means";
    /** Model key: spatial variances {@code (K, 2)}. */
    public static final String SPATIAL_VARIANCES = "spatial_variances";

    /** An {@code image_size} entry is a header and two numbers: a few hundred bytes. */
    private static final int MAX_SIZE_ENTRY_BYTES = 4096;

    private SpatialFiles() {
    }

    /** An image read from a {@code .npz}: descriptors, positions and size. Immutable view of its arrays. */
    public static final class Image {
        private final String source;
        private final float[] descriptors;
        private final int count;
        private final int dimension;
        private final float[] positions;
        private final int width;
        private final int height;

        Image(String source, float[] descriptors, int count, int dimension, float[] positions, int width, int height) {
            this.source = source;
            this.descriptors = descriptors;
            this.count = count;
            this.dimension = dimension;
            this.positions = positions;
            this.width = width;
            this.height = height;
        }

        /** @return the file it was read from */
        public String source() {
            return source;
        }

        /** @return the descriptors, {@code N x D} row-major (the array itself) */
        public float[] descriptors() {
            return descriptors;
        }

        /** @return {@code N} */
        public int count() {
            return count;
        }

        /** @return {@code D} */
        public int dimension() {
            return dimension;
        }

        /** @return the positions, {@code N x 2}: {@code (x, y)} pairs in pixels (the array itself) */
        public float[] positions() {
            return positions;
        }

        /** @return {@code W} */
        public int width() {
            return width;
        }

        /** @return {@code H} */
        public int height() {
            return height;
        }
    }

    /**
     * Reads an image archive. Other entries are ignored.
     *
     * @param file the {@code .npz}
     * @return the image
     * @throws NpyFormatException naming the file: a key missing, a shape wrong, {@code N} different
     *     between descriptors and positions, a size not positive and integral, a position outside
     *     {@code [0, W] x [0, H]} (naming the descriptor) or not finite
     * @throws IOException if the file cannot be read
     */
    public static Image readImage(Path file) throws IOException {
        String source = file.toString();
        NpyArray x;
        NpyArray p;
        long[] size;
        try (ZipFile zip = Npz.open(file)) {
            Map<String, ZipEntry> entries = Npz.entries(zip, source);
            x = Npz.readEntry(zip, require(entries, DESCRIPTORS, source, "(N, D)"), file, source);
            p = Npz.readEntry(zip, require(entries, POSITIONS, source, "(N, 2)"), file, source);
            size = readSize(zip, require(entries, IMAGE_SIZE, source, "(2,): W, H"), source);
        }
        if (x.ndim() != 2) {
            throw new NpyFormatException(source, "descriptors has shape " + NpyArray.shapeString(x.shape())
                    + "; expected (N, D)");
        }
        if (p.ndim() != 2 || p.cols() != 2) {
            throw new NpyFormatException(source, "positions has shape " + NpyArray.shapeString(p.shape())
                    + "; expected (N, 2), (x, y) in pixels");
        }
        if (p.rows() != x.rows()) {
            throw new NpyFormatException(source, "descriptors has " + x.rows() + " rows but positions has "
                    + p.rows() + ": one (x, y) per descriptor");
        }
        int w = (int) size[0];
        int h = (int) size[1];
        try {
            SpatialEncoder.requirePositions(p.data(), 0, p.rows(), w, h);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source, e.getMessage(), e);
        }
        return new Image(source, x.data(), x.rows(), x.cols(), p.data(), w, h);
    }

    private static ZipEntry require(Map<String, ZipEntry> entries, String key, String source, String shape)
            throws NpyFormatException {
        ZipEntry e = entries.get(key + ".npy");
        if (e == null) {
            throw new NpyFormatException(source, "missing array '" + key + "' " + shape
                    + " (an image with positions holds descriptors, positions and image_size)");
        }
        return e;
    }

    /** {@code image_size}: a 1-D array of 2 positive integral values, integer, unsigned, float or bool dtype. */
    private static long[] readSize(ZipFile zip, ZipEntry e, String archive) throws IOException {
        SmallNpy a = SmallNpy.read(zip, e, archive, MAX_SIZE_ENTRY_BYTES, "2 numbers (W, H) in image_size");
        if (!a.shape.matches("2\\s*,")) {
            throw new NpyFormatException(a.source, "image_size must have shape (2,): (W, H); header " + a.header);
        }
        if (a.count() != 2) {
            throw new NpyFormatException(a.source, "image_size holds " + a.count() + " values; expected 2");
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            double v = a.number(i);
            if (!(v >= 1 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
                throw new NpyFormatException(a.source, "image_size[" + i + "] = " + v + " (" + (i == 0 ? "W" : "H")
                        + "): the width and height must be positive integers");
            }
            out[i] = (long) v;
        }
        return out;
    }

    /**
     * The spatial Gaussians of a model archive: its {@code spatial_means} and
     * {@code spatial_variances} {@code (K, 2)}, or the uniform default ({@link SpatialModel#uniform})
     * when it has neither.
     *
     * @param file the model {@code .npz}
     * @param k the mixture's {@code K}
     * @return the spatial model
     * @throws NpyFormatException naming the file if only one key is present, a shape is not
     *     {@code (K, 2)}, or a value is invalid
     * @throws IOException if the file cannot be read
     */
    public static SpatialModel readSpatialModel(Path file, int k) throws IOException {
        String source = file.toString();
        NpyArray m = null;
        NpyArray s = null;
        try (ZipFile zip = Npz.open(file)) {
            Map<String, ZipEntry> entries = Npz.entries(zip, source);
            ZipEntry me = entries.get(SPATIAL_MEANS + ".npy");
            ZipEntry se = entries.get(SPATIAL_VARIANCES + ".npy");
            if (me == null && se == null) {
                return SpatialModel.uniform(k);
            }
            if (me == null || se == null) {
                throw new NpyFormatException(source, "has " + (me == null ? SPATIAL_VARIANCES : SPATIAL_MEANS)
                        + " but not " + (me == null ? SPATIAL_MEANS : SPATIAL_VARIANCES) + ": the spatial model needs both");
            }
            m = Npz.readEntry(zip, me, file, source);
            s = Npz.readEntry(zip, se, file, source);
        }
        for (NpyArray a : new NpyArray[] {m, s}) {
            if (a.ndim() != 2 || a.rows() != k || a.cols() != 2) {
                throw new NpyFormatException(source, (a == m ? SPATIAL_MEANS : SPATIAL_VARIANCES) + " has shape "
                        + NpyArray.shapeString(a.shape()) + "; expected (K, 2) = (" + k + ", 2)");
            }
        }
        try {
            return SpatialModel.of(m.data(), s.data());
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source, "invalid spatial model: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code model} as {@link Npz#writeModel} does, plus {@code spatial_means} and
     * {@code spatial_variances} (float32).
     *
     * @param file the {@code .npz}
     * @param model the mixture
     * @param spatial its spatial Gaussians, {@code K} as the mixture's
     * @throws IOException if writing fails
     */
    public static void writeModel(Path file, DiagonalGmm model, SpatialModel spatial) throws IOException {
        int k = model.components();
        if (spatial.components() != k) {
            throw new IllegalArgumentException("spatial model of K = " + spatial.components()
                    + " does not match the mixture's K = " + k);
        }
        Map<String, byte[]> entries = Npz.modelEntries(model);
        entries.put(SPATIAL_MEANS + ".npy", Npy.toBytes(new int[] {k, 2}, floats(spatial.means())));
        entries.put(SPATIAL_VARIANCES + ".npy", Npy.toBytes(new int[] {k, 2}, floats(spatial.variances())));
        Npz.writeEntries(file, entries);
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
