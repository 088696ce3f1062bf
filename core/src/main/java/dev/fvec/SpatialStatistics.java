package dev.fvec;

import java.util.Arrays;
import java.util.Objects;

/**
 * The statistics of descriptors with positions, for a {@link SpatialEncoder}: for each atom of its
 * {@link PyramidLayout} (the regions in the same cell of every grid), the appearance
 * {@link GmmStatistics} and, when the encoder makes spatial Fisher vectors, the spatial moments
 * (SPEC.md, "Spatial layout"; {@code l} the normalised position):
 *
 * <pre>
 *   T1[2k + c] = sum_n q_nk * l_nc          T2[2k + c] = sum_n q_nk * l_nc^2       (c = 0: x, 1: y)
 * </pre>
 *
 * A cell's statistics are the sum of its atoms' ({@link #cell(int)}, {@link #cellT1(int)}).
 *
 * <p>Additive like {@link GmmStatistics}: {@link #merge} of the statistics of two descriptor sets
 * (two halves of an image, frames of a video of one size) equals those of their union, up to
 * summation order. Mutable and not thread-safe.
 */
public final class SpatialStatistics {

    private final PyramidLayout layout;
    private final boolean spatial;
    private final int k;
    private final int d;
    final GmmStatistics[] atoms;
    final double[][] t1; // [atom][2k + c], null without spatial moments
    final double[][] t2;

    SpatialStatistics(PyramidLayout layout, boolean spatial, int k, int d) {
        this.layout = Objects.requireNonNull(layout, "layout");
        this.spatial = spatial;
        this.k = k;
        this.d = d;
        int a = layout.atoms();
        this.atoms = new GmmStatistics[a];
        for (int i = 0; i < a; i++) {
            atoms[i] = new GmmStatistics(k, d);
        }
        this.t1 = spatial ? new double[a][2 * k] : null;
        this.t2 = spatial ? new double[a][2 * k] : null;
    }

    /** @return the layout whose atoms these statistics hold */
    public PyramidLayout layout() {
        return layout;
    }

    /** @return whether the spatial moments are kept */
    public boolean hasSpatialMoments() {
        return spatial;
    }

    /** @return {@code K} */
    public int components() {
        return k;
    }

    /** @return {@code D} */
    public int dimension() {
        return d;
    }

    /** @return the number of descriptors accumulated, over the whole image */
    public long count() {
        long n = 0;
        for (GmmStatistics s : atoms) {
            n += s.count();
        }
        return n;
    }

    /**
     * The appearance statistics of one cell: the sum of its atoms'.
     *
     * @param cell a cell of the layout ({@link PyramidLayout#cellBase(int)} {@code + r * C + c})
     * @return new statistics
     */
    public GmmStatistics cell(int cell) {
        GmmStatistics out = new GmmStatistics(k, d);
        for (int a : layout.cellAtoms(cell)) {
            out.merge(atoms[a]);
        }
        return out;
    }

    /**
     * A cell's {@code T1}.
     *
     * @param cell a cell of the layout
     * @return a new array {@code K x 2}
     * @throws IllegalStateException without spatial moments
     */
    public double[] cellT1(int cell) {
        return cellMoments(cell, t1);
    }

    /**
     * A cell's {@code T2}.
     *
     * @param cell a cell of the layout
     * @return a new array {@code K x 2}
     * @throws IllegalStateException without spatial moments
     */
    public double[] cellT2(int cell) {
        return cellMoments(cell, t2);
    }

    private double[] cellMoments(int cell, double[][] t) {
        if (!spatial) {
            throw new IllegalStateException("these statistics hold no spatial moments");
        }
        double[] out = new double[2 * k];
        for (int a : layout.cellAtoms(cell)) {
            for (int i = 0; i < out.length; i++) {
                out[i] += t[a][i];
            }
        }
        return out;
    }

    /** Back to the empty state, keeping the arrays. */
    public void reset() {
        for (int a = 0; a < atoms.length; a++) {
            atoms[a].reset();
            if (spatial) {
                Arrays.fill(t1[a], 0);
                Arrays.fill(t2[a], 0);
            }
        }
    }

    /**
     * Adds {@code other} into this.
     *
     * @param other statistics of the same layout, shape and kind
     * @throws IllegalArgumentException if they differ
     */
    public void merge(SpatialStatistics other) {
        Objects.requireNonNull(other, "other");
        if (!other.layout.equals(layout) || other.spatial != spatial || other.k != k || other.d != d) {
            throw new IllegalArgumentException("cannot merge " + other + " into " + this);
        }
        for (int a = 0; a < atoms.length; a++) {
            atoms[a].merge(other.atoms[a]);
            if (spatial) {
                for (int i = 0; i < 2 * k; i++) {
                    t1[a][i] += other.t1[a][i];
                    t2[a][i] += other.t2[a][i];
                }
            }
        }
    }

    /** @return a deep copy */
    public SpatialStatistics copy() {
        SpatialStatistics c = new SpatialStatistics(layout, spatial, k, d);
        c.merge(this);
        return c;
    }

    @Override
    public String toString() {
        return "SpatialStatistics[layout=" + layout + ", spatial=" + spatial + ", K=" + k + ", D=" + d + ", N="
                + count() + "]";
    }
}
