package dev.fvec.simd;

import dev.fvec.Projection;
import dev.fvec.spi.ProjectionKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float PCA projection of the SIMD provider (SPEC.md, "PCA projection"): a blocked matrix
 * multiply with lanes over output dimensions.
 *
 * <h2>One result, whichever path</h2>
 * Every output is the same chain of float operations on every path: {@code c_i = x_i - mean_i}
 * (one rounding), then {@code y_j = fma(c_{Din-1}, w_{Din-1,j}, ... fma(c_1, w_1j, fma(c_0, w_0j, 0)))}
 * in that order, with {@code w = }{@link Projection#transposedWeights()} (the whitening folded in,
 * rounded once). Lanes run over {@code j}, never over {@code i}, so no lane width changes the order
 * of a sum: the vector path at 128, 256 or 512 bits and the scalar {@linkplain #twin twin} give
 * bitwise the same floats ({@code ProjectionTwinProperties}). Which path serves a call only changes
 * its speed: the twin until {@link ProjectionWarmUp} has the vector path compiled, then the vector
 * path.
 *
 * <h2>Precision</h2>
 * Against the exact projection, each output carries at most about
 * {@code (Din + 2) u sum_i |c_i w_ij|} of error ({@code u = 2^-24}: the centring, the rounded weight,
 * and {@code Din} fused roundings); the scalar reference ({@link Projection#project}) rounds once.
 *
 * <h2>Speed</h2>
 * The vector path keeps 4 descriptors x 4 vectors of outputs in 16 registers while it runs over
 * {@code i}: each weight vector loaded serves 4 descriptors, and 16 independent FMA chains hide the
 * FMA latency. At 128 -> 64 dimensions and 16 lanes that is one pass over the 32 KiB of weights
 * (held in L1) per 4 descriptors.
 *
 * <p>Not thread-safe: one instance per thread (scratch owned).
 */
final class SimdProjection implements ProjectionKernel {

    static final VectorSpecies<Float> SPECIES = VectorLanes.SPECIES;
    static final int LANES = VectorLanes.LANES;
    /** Descriptors per pass over the weights. */
    static final int ROWS = 4;

    /** Which path a projection runs on. */
    enum Mode {
        /** The twin until {@link ProjectionWarmUp#isWarm()}, then the vector path. */
        AUTO,
        VECTOR,
        TWIN
    }

    final int din;
    final int d;
    private final float[] mean;
    private final float[] w; // Din x D: w[i * D + j]
    private final float[] centred; // ROWS x Din, interleaved: centred[i * ROWS + r]
    private final Mode mode;

    SimdProjection(Projection p, Mode mode) {
        this.din = p.inputDimension();
        this.d = p.outputDimension();
        this.mean = p.mean();
        this.w = p.transposedWeights();
        this.centred = new float[ROWS * din];
        this.mode = mode;
    }

    @Override
    public void project(float[] x, int offset, int count, float[] y) {
        assert offset >= 0 && count >= 0 && offset + (long) count * din <= x.length && (long) count * d <= y.length;
        boolean vector = mode == Mode.VECTOR || mode == Mode.AUTO && ProjectionWarmUp.isWarm();
        if (vector) {
            vector(x, offset, count, y);
        } else {
            twin(x, offset, count, y);
            if (mode == Mode.AUTO) {
                ProjectionWarmUp.twinWorked((long) count * din * d);
            }
        }
    }

    /** {@code c_i = x_i - mean_i} for {@code rows} descriptors from {@code row}, interleaved by descriptor. */
    private void centre(float[] x, int row, int rows) {
        for (int r = 0; r < rows; r++) {
            int base = row + r * din;
            for (int i = 0; i < din; i++) {
                centred[i * ROWS + r] = x[base + i] - mean[i];
            }
        }
    }

    /** The Vector API path. */
    void vector(float[] x, int offset, int count, float[] y) {
        int n = 0;
        for (; n + ROWS <= count; n += ROWS) {
            centre(x, offset + n * din, ROWS);
            int j = 0;
            for (; j + 4 * LANES <= d; j += 4 * LANES) {
                vector4x4(y, n * d + j);
            }
            for (; j + LANES <= d; j += LANES) {
                for (int r = 0; r < ROWS; r++) {
                    vector1(r, y, (n + r) * d + j, j);
                }
            }
            for (; j < d; j++) {
                for (int r = 0; r < ROWS; r++) {
                    y[(n + r) * d + j] = scalar(r, j);
                }
            }
        }
        for (; n < count; n++) {
            centre(x, offset + n * din, 1);
            int j = 0;
            for (; j + LANES <= d; j += LANES) {
                vector1(0, y, n * d + j, j);
            }
            for (; j < d; j++) {
                y[n * d + j] = scalar(0, j);
            }
        }
    }

    /** Outputs {@code j0 .. j0 + 4 LANES} of the 4 centred descriptors, written from {@code y[out]} ({@code D} apart). */
    private void vector4x4(float[] y, int out) {
        int j0 = out % d;
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z; // descriptor 0, four vectors of outputs
        FloatVector b0 = z, b1 = z, b2 = z, b3 = z; // descriptor 1
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z; // descriptor 2
        FloatVector e0 = z, e1 = z, e2 = z, e3 = z; // descriptor 3
        float[] w = this.w;
        float[] c = centred;
        for (int i = 0, base = j0; i < din; i++, base += d) {
            FloatVector w0 = FloatVector.fromArray(SPECIES, w, base);
            FloatVector w1 = FloatVector.fromArray(SPECIES, w, base + LANES);
            FloatVector w2 = FloatVector.fromArray(SPECIES, w, base + 2 * LANES);
            FloatVector w3 = FloatVector.fromArray(SPECIES, w, base + 3 * LANES);
            FloatVector p = FloatVector.broadcast(SPECIES, c[i * ROWS]);
            a0 = p.fma(w0, a0);
            a1 = p.fma(w1, a1);
            a2 = p.fma(w2, a2);
            a3 = p.fma(w3, a3);
            p = FloatVector.broadcast(SPECIES, c[i * ROWS + 1]);
            b0 = p.fma(w0, b0);
            b1 = p.fma(w1, b1);
            b2 = p.fma(w2, b2);
            b3 = p.fma(w3, b3);
            p = FloatVector.broadcast(SPECIES, c[i * ROWS + 2]);
            c0 = p.fma(w0, c0);
            c1 = p.fma(w1, c1);
            c2 = p.fma(w2, c2);
            c3 = p.fma(w3, c3);
            p = FloatVector.broadcast(SPECIES, c[i * ROWS + 3]);
            e0 = p.fma(w0, e0);
            e1 = p.fma(w1, e1);
            e2 = p.fma(w2, e2);
            e3 = p.fma(w3, e3);
        }
        store4(a0, a1, a2, a3, y, out);
        store4(b0, b1, b2, b3, y, out + d);
        store4(c0, c1, c2, c3, y, out + 2 * d);
        store4(e0, e1, e2, e3, y, out + 3 * d);
    }

    private static void store4(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3, float[] y, int at) {
        v0.intoArray(y, at);
        v1.intoArray(y, at + LANES);
        v2.intoArray(y, at + 2 * LANES);
        v3.intoArray(y, at + 3 * LANES);
    }

    /** Outputs {@code j0 .. j0 + LANES} of centred descriptor {@code r}, into {@code y[out]}. */
    private void vector1(int r, float[] y, int out, int j0) {
        FloatVector a = FloatVector.zero(SPECIES);
        for (int i = 0, base = j0; i < din; i++, base += d) {
            a = FloatVector.broadcast(SPECIES, centred[i * ROWS + r]).fma(FloatVector.fromArray(SPECIES, w, base), a);
        }
        a.intoArray(y, out);
    }

    /** Output {@code j} of centred descriptor {@code r}: the chain every path computes. */
    private float scalar(int r, int j) {
        float a = 0;
        for (int i = 0, at = j; i < din; i++, at += d) {
            a = Math.fma(centred[i * ROWS + r], w[at], a);
        }
        return a;
    }

    /**
     * The scalar twin: the same chains, 4 outputs of 2 descriptors at a time (8 independent FMA
     * chains; plain float code, fast from C1 on).
     */
    void twin(float[] x, int offset, int count, float[] y) {
        int n = 0;
        for (; n + 2 <= count; n += 2) {
            centre(x, offset + n * din, 2);
            int j = 0;
            for (; j + 4 <= d; j += 4) {
                float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
                float b0 = 0, b1 = 0, b2 = 0, b3 = 0;
                for (int i = 0, base = j; i < din; i++, base += d) {
                    float p = centred[i * ROWS];
                    float q = centred[i * ROWS + 1];
                    float w0 = w[base];
                    float w1 = w[base + 1];
                    float w2 = w[base + 2];
                    float w3 = w[base + 3];
                    a0 = Math.fma(p, w0, a0);
                    a1 = Math.fma(p, w1, a1);
                    a2 = Math.fma(p, w2, a2);
                    a3 = Math.fma(p, w3, a3);
                    b0 = Math.fma(q, w0, b0);
                    b1 = Math.fma(q, w1, b1);
                    b2 = Math.fma(q, w2, b2);
                    b3 = Math.fma(q, w3, b3);
                }
                int o = n * d + j;
                y[o] = a0;
                y[o + 1] = a1;
                y[o + 2] = a2;
                y[o + 3] = a3;
                y[o + d] = b0;
                y[o + d + 1] = b1;
                y[o + d + 2] = b2;
                y[o + d + 3] = b3;
            }
            for (; j < d; j++) {
                y[n * d + j] = scalar(0, j);
                y[(n + 1) * d + j] = scalar(1, j);
            }
        }
        for (; n < count; n++) {
            centre(x, offset + n * din, 1);
            for (int j = 0; j < d; j++) {
                y[n * d + j] = scalar(0, j);
            }
        }
    }
}
