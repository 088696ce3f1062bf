package dev.fvec;

/**
 * An independent double-precision spatial vector, written from SPEC.md "Spatial layout" for tests:
 * cell membership by the spec's rule in its plainest form (a descending search), its own spatial
 * block on {@link Oracle}'s posteriors, the appearance part from {@link Oracle} (unnormalised) per
 * cell, then each cell normalised alone. Shares no code with {@link SpatialEncoder} or {@link PyramidLayout}.
 */
public final class SpatialOracle {

    private SpatialOracle() {
    }

    /** The largest {@code i < n} with {@code i * size <= n * v}. */
    static int cell(int n, float v, int size) {
        int i = n - 1;
        while (i > 0 && (double) i * size > (double) n * v) {
            i--;
        }
        return i;
    }

    /**
     * @param grids {@code {R, C}} pairs
     * @param sm spatial means and variances ({@code K x 2} each), or {@code null} for no spatial block
     */
    public static double[] encode(DiagonalGmm m, float[] x, float[] pos, int n, int w, int h, int[][] grids,
            double[] sm, double[] sv, FisherForm form, double alpha, boolean l2, Sparsity sparsity) {
        int k = m.components();
        int d = m.dimension();
        int app = form.length(k, d);
        int single = app + (sm != null ? 4 * k : 0);
        double[][] q = Oracle.posteriors(m, x, n, sparsity);
        int cells = 0;
        for (int[] g : grids) {
            cells += g[0] * g[1];
        }
        double[] out = new double[cells * single];
        int at = 0;
        for (int[] g : grids) {
            for (int r = 0; r < g[0]; r++) {
                for (int c = 0; c < g[1]; c++, at += single) {
                    int cnt = 0;
                    float[] xs = new float[n * d];
                    double[][] qs = new double[n][];
                    double[][] ls = new double[n][];
                    for (int i = 0; i < n; i++) {
                        if (cell(g[0], pos[2 * i + 1], h) == r && cell(g[1], pos[2 * i], w) == c) {
                            System.arraycopy(x, i * d, xs, cnt * d, d);
                            qs[cnt] = q[i];
                            ls[cnt] = new double[] {pos[2 * i] / (double) w, pos[2 * i + 1] / (double) h};
                            cnt++;
                        }
                    }
                    if (cnt == 0) {
                        continue;
                    }
                    double[] z = new double[single];
                    System.arraycopy(Oracle.encode(m, xs, cnt, form, 0, false, sparsity), 0, z, 0, app);
                    if (sm != null) {
                        for (int comp = 0; comp < k; comp++) {
                            double wk = m.weight(comp);
                            double s0 = 0;
                            double[] t1 = new double[2];
                            double[] t2 = new double[2];
                            for (int i = 0; i < cnt; i++) {
                                s0 += qs[i][comp];
                                for (int e = 0; e < 2; e++) {
                                    t1[e] += qs[i][comp] * ls[i][e];
                                    t2[e] += qs[i][comp] * ls[i][e] * ls[i][e];
                                }
                            }
                            s0 /= cnt;
                            for (int e = 0; e < 2; e++) {
                                double a1 = t1[e] / cnt;
                                double a2 = t2[e] / cnt;
                                double mm = sm[2 * comp + e];
                                double ss = sv[2 * comp + e];
                                double gA = a1 - s0 * mm;
                                double gB = -a2 - s0 * mm * mm + s0 * ss + 2 * a1 * mm;
                                double a;
                                double b;
                                if (form == FisherForm.GIST) {
                                    a = gA;
                                    b = gB;
                                } else {
                                    // VLFEAT's b is GIST's with the sign flipped, over sqrt(2 w) S (SPEC's identity).
                                    a = gA / (Math.sqrt(wk) * Math.sqrt(ss));
                                    b = -gB / (Math.sqrt(2 * wk) * ss);
                                    if (form == FisherForm.SKIMAGE) {
                                        b = -b;
                                    } else if (wk < 1e-6) {
                                        a = 0;
                                        b = 0;
                                    }
                                }
                                z[app + 2 * comp + e] = a;
                                z[app + 2 * k + 2 * comp + e] = b;
                            }
                        }
                    }
                    Oracle.normalise(z, alpha, l2);
                    System.arraycopy(z, 0, out, at, single);
                }
            }
        }
        return out;
    }
}
