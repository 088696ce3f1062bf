package dev.fvec;

/**
 * An independent double-precision Fisher vector, written straight from SPEC.md for tests: it
 * shares no code with the kernels or the encoder (SKIMAGE and VLFEAT are derived from GIST through
 * the analytical normalisers, the identity SPEC.md states, rather than from their own formulas).
 */
public final class Oracle {

    private Oracle() {
    }

    /** The vector for {@code n} descriptors {@code x[i * d + j]}; {@code alpha = 0} means no power step. */
    public static double[] encode(DiagonalGmm m, float[] x, int n, FisherForm form, double alpha, boolean l2,
            Sparsity sparsity) {
        int k = m.components();
        int d = m.dimension();
        double[] s0 = new double[k];
        double[][] s1 = new double[k][d];
        double[][] s2 = new double[k][d];
        double[][] q = posteriors(m, x, n, sparsity);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                if (q[i][c] == 0) {
                    continue;
                }
                s0[c] += q[i][c];
                for (int j = 0; j < d; j++) {
                    double xv = x[i * d + j];
                    s1[c][j] += q[i][c] * xv;
                    s2[c][j] += q[i][c] * xv * xv;
                }
            }
        }
        int len = form.length(k, d);
        double[] out = new double[len];
        if (n == 0) {
            return out;
        }
        int off = form == FisherForm.VLFEAT ? 0 : k;
        for (int c = 0; c < k; c++) {
            double w = m.weight(c);
            double a0 = s0[c] / n;
            if (form != FisherForm.VLFEAT) {
                out[c] = (a0 - w) / (form == FisherForm.SKIMAGE ? Math.sqrt(w) : 1);
            }
            if (form == FisherForm.VLFEAT && w < 1e-6) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                double mu = m.mean(c, j);
                double var = m.variance(c, j);
                double a1 = s1[c][j] / n;
                double a2 = s2[c][j] / n;
                double gMu = a1 - a0 * mu;
                double gSigma = -a2 - a0 * mu * mu + a0 * var + 2 * a1 * mu;
                if (form == FisherForm.GIST) {
                    out[off + c * d + j] = gMu;
                    out[off + k * d + c * d + j] = gSigma;
                } else {
                    double u = gMu / (Math.sqrt(w) * Math.sqrt(var));
                    double sk = gSigma / (Math.sqrt(2 * w) * var);
                    out[off + c * d + j] = u;
                    out[off + k * d + c * d + j] = form == FisherForm.SKIMAGE ? sk : -sk;
                }
            }
        }
        normalise(out, alpha, l2);
        return out;
    }

    /**
     * {@code q[i][c]}: each descriptor's posteriors in double from log-sum-exp, with the sparsity
     * applied (hard: one at the best component; a threshold: 0 below it).
     */
    static double[][] posteriors(DiagonalGmm m, float[] x, int n, Sparsity sparsity) {
        int k = m.components();
        int d = m.dimension();
        double[][] q = new double[n][k];
        double[] lp = new double[k];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 0; c < k; c++) {
                double sum = 0;
                for (int j = 0; j < d; j++) {
                    double v = m.variance(c, j);
                    double diff = x[i * d + j] - (double) m.mean(c, j);
                    sum += Math.log(2 * Math.PI) + Math.log(v) + diff * diff / v;
                }
                lp[c] = Math.log(m.weight(c)) - 0.5 * sum;
                if (lp[c] > lp[best]) {
                    best = c;
                }
            }
            double z = 0;
            for (int c = 0; c < k; c++) {
                z += Math.exp(lp[c] - lp[best]);
            }
            double lse = lp[best] + Math.log(z);
            for (int c = 0; c < k; c++) {
                double p = Math.exp(lp[c] - lse);
                q[i][c] = sparsity.isHard() ? (c == best ? 1 : 0) : p < sparsity.threshold() ? 0 : p;
            }
        }
        return q;
    }

    /** The power step ({@code alpha = 0}: none) and L2 normalisation with SPEC's 1e-12 floor, in place. */
    static void normalise(double[] z, double alpha, boolean l2) {
        if (alpha != 0) {
            for (int i = 0; i < z.length; i++) {
                z[i] = Math.signum(z[i]) * Math.pow(Math.abs(z[i]), alpha);
            }
        }
        if (l2) {
            double norm = 0;
            for (double v : z) {
                norm += v * v;
            }
            norm = Math.max(Math.sqrt(norm), 1e-12);
            for (int i = 0; i < z.length; i++) {
                z[i] /= norm;
            }
        }
    }
}
