package dev.fvec;

import dev.fvec.spi.CellRows;
import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Fisher vectors that also encode where the descriptors lie (SPEC.md, "Spatial layout"): a spatial
 * pyramid, a spatial Fisher vector (Krapac, Verbeek, Jurie, ICCV 2011), or both.
 *
 * <p>Built on a {@link FisherEncoder}, whose form, normalisation, sparsity and kernel it uses:
 * <pre>{@code
 * FisherEncoder plain = FisherEncoder.builder(gmm).improved().build();
 * SpatialEncoder enc = SpatialEncoder.builder(plain)
 *         .pyramid(PyramidLayout.parse("1x1,2x2,3x1"))    // 8 cells
 *         .spatial(SpatialModel.uniform(gmm.components())) // + 4K per cell
 *         .build();
 * float[] v = enc.encode(x, positions, n, width, height);
 * }</pre>
 *
 * <p>Input: descriptors {@code x[xOffset + n * D + j]} as for {@link FisherEncoder} ({@code Din}
 * columns for a model with a PCA projection); positions
 * {@code positions[positionsOffset + 2n]} (x, column) and {@code [.. + 2n + 1]} (y, row), in pixels
 * of an image {@code width x height}, origin top-left, each in {@code [0, W] x [0, H]}.
 *
 * <p>Output: {@link #length()} {@code = cells x cellLength} floats, cell by cell in the layout's
 * order ({@link PyramidLayout}); each cell's block is the plain Fisher vector of the cell's
 * descriptors ({@code N} = the cell's count), followed with a spatial model by the spatial block
 * {@code [a_1 .. a_K | b_1 .. b_K]} ({@code 4K}, from the whole-image normalised positions), then
 * normalised alone (the encoder's power and L2). An empty cell is a zero block. The layout
 * {@code 1x1} without spatial block is bitwise {@link FisherEncoder#encode}'s vector.
 *
 * <p>Cost: posteriors are computed once per descriptor, whatever the number of cells: each
 * descriptor is accumulated into its atom ({@link PyramidLayout}), and each cell's statistics are
 * the sum of its atoms'. The spatial moments cost a few operations per kept term.
 *
 * <p>Threads and memory: immutable and thread-safe; as {@link FisherEncoder}, a call borrows a
 * scratch space (the atoms' statistics, about {@code 2KD} doubles per atom, and a gather buffer of
 * up to {@value #CHUNK_FLOATS} floats) from a small pool, whose first space {@code build()}
 * makes, and allocates nothing once the pool holds as many spaces as there are concurrent callers.
 */
public final class SpatialEncoder {

    /** Descriptors are grouped by atom in chunks of at most this many floats (1 MiB). */
    static final int CHUNK_FLOATS = 1 << 18;

    private final FisherEncoder appearance;
    private final DiagonalGmm model;
    private final FisherForm form;
    private final PyramidLayout layout;
    private final SpatialModel spatial; // null: no spatial block
    private final int appearanceLength;
    private final int cellLength;
    private final int length;
    private final int chunk;
    private final CellFinish finish;
    private final WorkspacePool<Workspace> pool;

    private SpatialEncoder(Builder b) {
        this.appearance = b.appearance;
        this.model = appearance.model();
        this.form = appearance.form();
        this.layout = b.layout;
        this.spatial = b.spatial;
        int k = model.components();
        int d = model.dimension();
        this.appearanceLength = appearance.length();
        long cell = appearanceLength + (spatial != null ? 4L * k : 0);
        long total = cell * layout.cells();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a vector of " + layout.cells() + " cells of " + cell
                    + " is too large for a Java array");
        }
        this.cellLength = (int) cell;
        this.length = (int) total;
        this.finish = new CellFinish(model, form, appearance.power(), appearance.l2(), spatial, cellLength);
        int din = model.inputDimension();
        this.chunk = Math.max(1, CHUNK_FLOATS / din);
        this.pool = new WorkspacePool<>(() -> new Workspace(
                ProjectingKernel.create(appearance.kernelProvider(), model, appearance.sparsity()),
                layout.atoms() > 1 ? appearance.kernelProvider().createCellRows() : null,
                new SpatialStatistics(layout, spatial != null, k, d), cellLength, chunk, layout.atoms(), layout.cells(),
                k, d, din, form));
        pool.prepare(); // as FisherEncoder: the first call does not make its scratch space
    }

    /**
     * A builder on {@code appearance}, whose model, form, normalisation, sparsity and kernel the
     * spatial encoder uses.
     *
     * @param appearance the plain encoder
     * @return a builder: layout {@code 1x1}, no spatial block
     */
    public static Builder builder(FisherEncoder appearance) {
        return new Builder(Objects.requireNonNull(appearance, "appearance"));
    }

    /** @return the vector length, {@code cells x cellLength} */
    public int length() {
        return length;
    }

    /** @return one cell's block length: the plain vector's, plus {@code 4K} with a spatial model */
    public int cellLength() {
        return cellLength;
    }

    /** @return the pyramid layout */
    public PyramidLayout layout() {
        return layout;
    }

    /** @return the spatial model, or {@code null} when the vector has no spatial block */
    public SpatialModel spatialModel() {
        return spatial;
    }

    /** @return the plain encoder this one builds on */
    public FisherEncoder appearance() {
        return appearance;
    }

    /**
     * Encodes {@code n} descriptors with positions into a new vector.
     *
     * @param x descriptors, {@code n x D} row-major
     * @param positions {@code n x 2}: {@code (x, y)} in pixels
     * @param n number of descriptors
     * @param width image width {@code W >= 1}
     * @param height image height {@code H >= 1}
     * @return a vector of {@link #length()}
     * @throws IllegalArgumentException as {@link #encode(float[], int, float[], int, int, int, int, float[], int)}
     */
    public float[] encode(float[] x, float[] positions, int n, int width, int height) {
        float[] out = new float[length];
        encode(x, 0, positions, 0, n, width, height, out, 0);
        return out;
    }

    /**
     * Encodes {@code n} descriptors {@code x[xOffset + n' * D + j]} at
     * {@code positions[positionsOffset + 2n' + c]} into {@code out[outOffset .. outOffset + length())}.
     * Allocates nothing once warm.
     *
     * @param x descriptors, row-major
     * @param xOffset index of the first descriptor's first value
     * @param positions positions, {@code (x, y)} pairs in pixels
     * @param positionsOffset index of the first descriptor's x
     * @param n number of descriptors
     * @param width image width {@code W >= 1}
     * @param height image height {@code H >= 1}
     * @param out the output
     * @param outOffset where the vector starts in {@code out}
     * @throws IllegalArgumentException if a range does not fit its array, a value is NaN or infinite,
     *     a position lies outside {@code [0, W] x [0, H]} (naming the descriptor), or the size is not positive
     * @throws ArithmeticException as {@link FisherEncoder#encode(float[], int, int, float[], int)}
     */
    public void encode(float[] x, int xOffset, float[] positions, int positionsOffset, int n, int width, int height,
            float[] out, int outOffset) {
        Objects.requireNonNull(out, "out");
        dev.fvec.internal.Checks.requireRange("out", out.length, outOffset, length);
        check(x, xOffset, positions, positionsOffset, n, width, height);
        Workspace ws = pool.borrow();
        try {
            ws.stats.reset();
            accumulate(ws, x, xOffset, positions, positionsOffset, n, width, height, ws.stats);
            toVector(ws, ws.stats, out, outOffset);
        } finally {
            pool.giveBack(ws);
        }
    }

    /** @return new empty statistics for this encoder's layout and model */
    public SpatialStatistics newStatistics() {
        return new SpatialStatistics(layout, spatial != null, model.components(), model.dimension());
    }

    /**
     * Adds descriptors with positions to {@code stats} (frames, tiles, halves of an image: merge or
     * accumulate them, then {@link #encode(SpatialStatistics, float[], int)}).
     *
     * @param x descriptors, row-major
     * @param xOffset index of the first descriptor's first value
     * @param positions positions, {@code (x, y)} pairs in pixels
     * @param positionsOffset index of the first descriptor's x
     * @param n number of descriptors
     * @param width image width {@code W >= 1}
     * @param height image height {@code H >= 1}
     * @param stats statistics from {@link #newStatistics()} (or of the same layout and model)
     * @throws IllegalArgumentException as {@link #encode(float[], int, float[], int, int, int, int, float[], int)},
     *     or if {@code stats} does not fit this encoder
     */
    public void accumulate(float[] x, int xOffset, float[] positions, int positionsOffset, int n, int width,
            int height, SpatialStatistics stats) {
        checkStatistics(stats);
        check(x, xOffset, positions, positionsOffset, n, width, height);
        Workspace ws = pool.borrow();
        try {
            accumulate(ws, x, xOffset, positions, positionsOffset, n, width, height, stats);
        } finally {
            pool.giveBack(ws);
        }
    }

    /**
     * Encodes accumulated statistics into a new vector.
     *
     * @param stats the statistics
     * @return a vector of {@link #length()}
     */
    public float[] encode(SpatialStatistics stats) {
        float[] out = new float[length];
        encode(stats, out, 0);
        return out;
    }

    /**
     * Encodes accumulated statistics into {@code out[outOffset .. outOffset + length())}.
     *
     * @param stats the statistics
     * @param out the output
     * @param outOffset where the vector starts
     * @throws IllegalArgumentException if {@code stats} does not fit this encoder
     */
    public void encode(SpatialStatistics stats, float[] out, int outOffset) {
        checkStatistics(stats);
        Objects.requireNonNull(out, "out");
        dev.fvec.internal.Checks.requireRange("out", out.length, outOffset, length);
        Workspace ws = pool.borrow();
        try {
            toVector(ws, stats, out, outOffset);
        } finally {
            pool.giveBack(ws);
        }
    }

    private void checkStatistics(SpatialStatistics stats) {
        Objects.requireNonNull(stats, "stats");
        if (!stats.layout().equals(layout) || stats.hasSpatialMoments() != (spatial != null)
                || stats.components() != model.components() || stats.dimension() != model.dimension()) {
            throw new IllegalArgumentException(stats + " do not fit this encoder (layout " + layout + ", spatial "
                    + (spatial != null) + ", K = " + model.components() + ", D = " + model.dimension() + ")");
        }
    }

    private void check(float[] x, int xOffset, float[] positions, int positionsOffset, int n, int width, int height) {
        // Din: the descriptors before any projection.
        dev.fvec.internal.Checks.requireModelInput(x, xOffset, n, model);
        requirePositions(positions, positionsOffset, n, width, height);
    }

    /**
     * Checks {@code n} positions {@code (x, y)} at {@code positions[offset + 2i]}: the block fits,
     * {@code W, H >= 1}, every value finite and inside {@code [0, W] x [0, H]}.
     *
     * @param positions the positions
     * @param offset index of the first x
     * @param n number of descriptors
     * @param width image width
     * @param height image height
     * @throws IllegalArgumentException naming the first bad descriptor and the value
     */
    public static void requirePositions(float[] positions, int offset, int n, int width, int height) {
        Objects.requireNonNull(positions, "positions");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size " + width + " x " + height
                    + ": width and height must be >= 1");
        }
        if (n < 0 || offset < 0 || offset + 2L * n > positions.length) {
            throw new IllegalArgumentException("positions has length " + positions.length + ", too short for " + n
                    + " (x, y) pairs from offset " + offset);
        }
        for (int i = 0; i < n; i++) {
            float px = positions[offset + 2 * i];
            float py = positions[offset + 2 * i + 1];
            if (!(px >= 0 && px <= width) || !(py >= 0 && py <= height)) {
                throw new IllegalArgumentException("position of descriptor " + i + " (x = " + px + ", y = " + py
                        + ") lies outside the image [0, " + width + "] x [0, " + height + "]");
            }
        }
    }

    private void accumulate(Workspace ws, float[] x, int xOffset, float[] positions, int positionsOffset, int n,
            int width, int height, SpatialStatistics stats) {
        StatisticsKernel kernel = ws.kernel;
        MomentSink sink = spatial != null ? ws.sink : null;
        if (layout.atoms() == 1) {
            // One atom: the descriptors as they come, the very call FisherEncoder makes.
            if (sink != null) {
                sink.bind(positions, positionsOffset, width, height, stats.t1[0], stats.t2[0]);
            }
            kernel.accumulate(x, xOffset, n, stats.atoms[0], sink);
            return;
        }
        int d = model.inputDimension(); // descriptors are gathered before any projection
        int atoms = layout.atoms();
        int[] start = ws.atomStart;
        int[] atomOf = ws.atomOf;
        float[] gx = ws.gathered;
        float[] gp = ws.gatheredPositions;
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            // Counting sort of the chunk by atom (stable: each atom keeps descriptor order).
            Arrays.fill(start, 0);
            for (int i = 0; i < m; i++) {
                int p = positionsOffset + 2 * (from + i);
                int a = layout.atomOf(positions[p], positions[p + 1], width, height);
                atomOf[i] = a;
                start[a + 1]++;
            }
            for (int a = 0; a < atoms; a++) {
                start[a + 1] += start[a];
            }
            for (int i = 0; i < m; i++) {
                int at = start[atomOf[i]]++;
                System.arraycopy(x, xOffset + (from + i) * d, gx, at * d, d);
                int p = positionsOffset + 2 * (from + i);
                gp[2 * at] = positions[p];
                gp[2 * at + 1] = positions[p + 1];
            }
            // start[a] is now the end of atom a's run, which is where atom a + 1's starts.
            int begin = 0;
            for (int a = 0; a < atoms; a++) {
                int end = start[a];
                if (end > begin) {
                    if (sink != null) {
                        sink.bind(gp, 2 * begin, width, height, stats.t1[a], stats.t2[a]);
                    }
                    kernel.accumulate(gx, begin * d, end - begin, stats.atoms[a], sink);
                }
                begin = end;
            }
        }
        if (sink != null) {
            sink.bind(null, 0, 1, 1, null, null);
        }
    }

    /**
     * SPEC.md: each cell's form vector from its own statistics (the sum of its atoms'), the spatial
     * block, then the cell's normalisation. One atom: {@link FisherEncoder}'s own arithmetic, so
     * that {@code 1x1} is the plain vector bit for bit; several: {@link CellFinish#finish}, equal up
     * to rounding, faster.
     */
    private void toVector(Workspace ws, SpatialStatistics stats, float[] out, int outOffset) {
        if (layout.atoms() == 1) {
            GmmStatistics cs = stats.atoms[0];
            long count = cs.count();
            if (count == 0) {
                Arrays.fill(out, outOffset, outOffset + cellLength, 0f);
                return;
            }
            double invN = 1.0 / count;
            double[] s0 = StatisticsAccess.s0(cs);
            VectorParts parts = ws.parts;
            form.gradients(model, s0, StatisticsAccess.s1(cs), StatisticsAccess.s2(cs), invN, parts);
            if (spatial != null) {
                finish.spatialBlock(s0, stats.t1[0], stats.t2[0], invN, parts.extra, 0);
            }
            Normalisation.finish(parts.parts, appearance.power(), appearance.l2(), out, outOffset);
            return;
        }
        int cells = layout.cells();
        for (int cell = 0; cell < cells; cell++) {
            int[] atoms = layout.cellAtomsShared(cell);
            GmmStatistics cs;
            double[] ct1 = null;
            double[] ct2 = null;
            if (atoms.length == 1) {
                cs = stats.atoms[atoms[0]];
                if (spatial != null) {
                    ct1 = stats.t1[atoms[0]];
                    ct2 = stats.t2[atoms[0]];
                }
            } else {
                cs = ws.cellStats;
                cs.reset();
                for (int a : atoms) {
                    cs.merge(stats.atoms[a]);
                }
                if (spatial != null) {
                    ct1 = ws.cellT1;
                    ct2 = ws.cellT2;
                    Arrays.fill(ct1, 0);
                    Arrays.fill(ct2, 0);
                    for (int a : atoms) {
                        for (int i = 0; i < ct1.length; i++) {
                            ct1[i] += stats.t1[a][i];
                            ct2[i] += stats.t2[a][i];
                        }
                    }
                }
            }
            int at = outOffset + cell * cellLength;
            if (cs.count() == 0) {
                Arrays.fill(out, at, at + cellLength, 0f);
            } else {
                finish.finish(StatisticsAccess.s0(cs), StatisticsAccess.s1(cs), StatisticsAccess.s2(cs), ct1, ct2,
                        cs.count(), ws.rows, ws.vector, out, at);
            }
        }
    }

    /**
     * Adds each kept term's {@code q l} and {@code q l^2} to an atom's {@code T1}, {@code T2}; the
     * normalised position of the current descriptor is cached, as terms come in descriptor order.
     */
    private static final class MomentSink implements KeptTermSink {
        private float[] positions;
        private int base;
        private double width;
        private double height;
        private double[] t1;
        private double[] t2;
        private int last;
        private double lx;
        private double ly;
        private double lxx;
        private double lyy;

        void bind(float[] positions, int base, int width, int height, double[] t1, double[] t2) {
            this.positions = positions;
            this.base = base;
            this.width = width;
            this.height = height;
            this.t1 = t1;
            this.t2 = t2;
            this.last = -1;
        }

        @Override
        public void add(int descriptor, int component, double q) {
            if (descriptor != last) {
                lx = positions[base + 2 * descriptor] / width;
                ly = positions[base + 2 * descriptor + 1] / height;
                lxx = lx * lx;
                lyy = ly * ly;
                last = descriptor;
            }
            int i = 2 * component;
            t1[i] += q * lx;
            t1[i + 1] += q * ly;
            t2[i] += q * lxx;
            t2[i + 1] += q * lyy;
        }
    }

    /** One call's scratch space; static, so it holds no reference to its encoder. */
    private static final class Workspace {
        final StatisticsKernel kernel;
        final SpatialStatistics stats;
        final double[] vector; // the cells' vector (CellFinish), for layouts of several atoms, else null
        final VectorParts parts; // the 1x1 layout's (FisherEncoder's arithmetic), else null
        final CellRows rows;
        final GmmStatistics cellStats;
        final double[] cellT1;
        final double[] cellT2;
        final float[] gathered;
        final float[] gatheredPositions;
        final int[] atomOf;
        final int[] atomStart;
        final MomentSink sink = new MomentSink();

        Workspace(StatisticsKernel kernel, CellRows rows, SpatialStatistics stats, int cellLength, int chunk, int atoms,
                int cells, int k, int d, int din, FisherForm form) {
            this.kernel = kernel;
            this.stats = stats;
            this.vector = atoms == 1 ? null : new double[cellLength];
            this.parts = atoms == 1 ? new VectorParts(form, k, d, cellLength - form.length(k, d)) : null;
            this.rows = rows;
            this.cellStats = new GmmStatistics(k, d);
            this.cellT1 = new double[2 * k];
            this.cellT2 = new double[2 * k];
            boolean gather = atoms > 1;
            this.gathered = new float[gather ? chunk * din : 0];
            this.gatheredPositions = new float[gather ? 2 * chunk : 0];
            this.atomOf = new int[gather ? chunk : 0];
            this.atomStart = new int[atoms + 1];
        }
    }

    /** Options of a {@link SpatialEncoder}; not thread-safe, reusable. */
    public static final class Builder {
        private final FisherEncoder appearance;
        private PyramidLayout layout = PyramidLayout.WHOLE;
        private SpatialModel spatial;

        private Builder(FisherEncoder appearance) {
            this.appearance = appearance;
        }

        /**
         * The pyramid layout; default {@code 1x1} (the whole image).
         *
         * @param layout the layout
         * @return this builder
         */
        public Builder pyramid(PyramidLayout layout) {
            this.layout = Objects.requireNonNull(layout, "layout");
            return this;
        }

        /**
         * The pyramid layout, parsed by {@link PyramidLayout#parse}, e.g. {@code "1x1,2x2,3x1"}.
         *
         * @param layout the layout
         * @return this builder
         * @throws IllegalArgumentException if it does not parse
         */
        public Builder pyramid(String layout) {
            return pyramid(PyramidLayout.parse(layout));
        }

        /**
         * Appends the spatial block with these Gaussians ({@code null}: no spatial block, the default).
         *
         * @param model the spatial Gaussians, {@code K} as the appearance model's
         * @return this builder
         * @throws IllegalArgumentException if {@code K} differs
         */
        public Builder spatial(SpatialModel model) {
            if (model != null && model.components() != appearance.model().components()) {
                throw new IllegalArgumentException("spatial model of K = " + model.components()
                        + " does not match the appearance model's K = " + appearance.model().components());
            }
            this.spatial = model;
            return this;
        }

        /**
         * @return a new encoder
         * @throws IllegalArgumentException if the vector would be too long for a Java array
         */
        public SpatialEncoder build() {
            return new SpatialEncoder(this);
        }
    }
}
