package dev.fvec;

/**
 * The Fisher-vector forms of SPEC.md ("Fisher-vector forms"). Each is a function of the
 * statistics {@code s0 = S0/N, s1 = S1/N, s2 = S2/N}; each constant holds its own formulas.
 */
public enum FisherForm {
    /**
     * The original scikit-learn recipe (Krapac, Verbeek, Jurie, ICCV 2011), without Fisher
     * normalisation. Length {@code K + 2KD}, layout {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.
     */
    GIST {
        @Override
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, VectorParts v) {
            int kd = v.mu.length;
            DiagonalGmm.Doubles md = m.doubles();
            double[] means = md.means;
            double[] variances = md.variances;
            double[] s0x = perElement(m, s0, invN, v);
            double[] dMu = v.mu;
            double[] dSigma = v.sigma;
            for (int c = 0; c < v.pi.length; c++) {
                v.pi[c] = s0[c] * invN - m.weights[c]; // d_pi
            }
            for (int i = 0; i < kd; i++) {
                double s0k = s0x[i];
                double s1kj = s1[i] * invN;
                double s2kj = s2[i] * invN;
                double mu = means[i];
                double var = variances[i];
                dMu[i] = s1kj - s0k * mu; // d_mu
                dSigma[i] = -s2kj - s0k * mu * mu + s0k * var + 2 * s1kj * mu; // d_sigma
            }
        }
    },
    /**
     * VLFeat's {@code vl_fisher_encode} (Sanchez, Perronnin, Mensink, Verbeek, IJCV 2013). Length
     * {@code 2KD}, layout {@code [u_1 .. u_K | v_1 .. v_K]}, each block {@code D} long. Components
     * with {@code w_k < 1e-6} are skipped (left zero), as VLFeat does.
     */
    VLFEAT {
        @Override
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, VectorParts v) {
            fisherNormalised(m, s0, s1, s2, invN, v, false);
        }
    },
    /**
     * scikit-image's {@code skimage.feature.fisher_vector}: GIST divided by the analytical diagonal
     * Fisher normalisation. Length {@code K + 2KD}, layout {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.
     */
    SKIMAGE {
        @Override
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, VectorParts v) {
            int k = m.components();
            for (int c = 0; c < k; c++) {
                v.pi[c] = (s0[c] * invN - m.weights[c]) / m.sqrtWeights[c]; // d_pi / sqrt(w_k)
            }
            fisherNormalised(m, s0, s1, s2, invN, v, true);
        }
    };

    /** VLFeat skips components whose weight is below this. */
    static final double VLFEAT_MIN_WEIGHT = 1e-6;

    /**
     * Writes this form's unnormalised vector (before power and L2 normalisation) into {@code v}'s
     * blocks ({@link VectorParts#pi} for GIST and SKIMAGE, {@link VectorParts#mu},
     * {@link VectorParts#sigma}), from the raw statistics and {@code invN = 1 / N}.
     */
    abstract void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, VectorParts v);

    /** {@code s0[k] * invN} into {@code v.s0PerElement} over each component's {@code D} elements; returns that array. */
    private static double[] perElement(DiagonalGmm m, double[] s0, double invN, VectorParts v) {
        int k = m.components();
        int d = m.dimension();
        double[] s0x = v.s0PerElement;
        for (int c = 0; c < k; c++) {
            java.util.Arrays.fill(s0x, c * d, (c + 1) * d, s0[c] * invN);
        }
        return s0x;
    }

    /**
     * VLFeat's {@code u} and {@code v} into {@code parts.mu} and {@code parts.sigma}; SKIMAGE's
     * {@code d_mu} and {@code d_sigma} are the same with {@code v}'s sign flipped. Components whose
     * weight is below {@link #VLFEAT_MIN_WEIGHT} are left zero for VLFEAT only.
     */
    private static void fisherNormalised(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN,
            VectorParts parts, boolean skimage) {
        DiagonalGmm.Doubles md = m.doubles();
        double[] means = md.means;
        double[] variances = md.variances;
        double[] uDen = md.uDenominators; // sqrt(w_k) * sigma_kj
        double[] vDen = md.vDenominators; // (sqrt(2) * sqrt(w_k)) * var_kj
        double[] u = parts.mu;
        double[] v = parts.sigma;
        // The same operations in the same order as the formulas: the same bits. Per component, u
        // and v in loops of their own that read and write every array at the same index and widen
        // no float to double (see VectorParts, DiagonalGmm.doubles), which C2 vectorises on JDK 17
        // and 25; one loop with both stores was not (35 us at K = 256, D = 64, Zen 5), nor one that
        // also takes the square roots (93 us). The s0 factor per component rather than from a K x D
        // array of it: 25 -> 12 us on JDK 17, 16 -> 14 on 25. v's sign as a factor, 1 or -1 (exact).
        int k = m.components();
        int d = m.dimension();
        for (int c = 0; c < k; c++) {
            double s0k = s0[c] * invN;
            for (int i = c * d; i < (c + 1) * d; i++) {
                double s1kj = s1[i] * invN;
                u[i] = (s1kj - s0k * means[i]) / uDen[i];
            }
        }
        double sign = skimage ? -1 : 1;
        for (int c = 0; c < k; c++) {
            double s0k = s0[c] * invN;
            for (int i = c * d; i < (c + 1) * d; i++) {
                double s1kj = s1[i] * invN;
                double s2kj = s2[i] * invN;
                double mu = means[i];
                double var = variances[i];
                double vi = (s2kj - 2 * mu * s1kj + (mu * mu - var) * s0k) / vDen[i];
                v[i] = vi * sign;
            }
        }
        if (!skimage) {
            for (int c = 0; c < k; c++) {
                if (m.weights[c] < VLFEAT_MIN_WEIGHT) {
                    java.util.Arrays.fill(u, c * d, (c + 1) * d, 0);
                    java.util.Arrays.fill(v, c * d, (c + 1) * d, 0);
                }
            }
        }
    }

    /**
     * The sparsity an encoder of this form uses unless told otherwise, so each form is numerically
     * its origin (SPEC.md, "Posteriors"): {@link Sparsity#VLFEAT} ({@code t = 1e-6}) for
     * {@link #VLFEAT}; exact posteriors, {@link Sparsity#none()}, for {@link #GIST} and
     * {@link #SKIMAGE}, as the sklearn gist and {@code skimage.feature.fisher_vector} compute them.
     *
     * @return the default sparsity of this form
     */
    public Sparsity defaultSparsity() {
        return this == VLFEAT ? Sparsity.VLFEAT : Sparsity.none();
    }

    /**
     * Length of this form's vector.
     *
     * @param k the number of components {@code K}
     * @param d the dimension {@code D}
     * @return {@code 2KD} for {@link #VLFEAT}, {@code K + 2KD} otherwise
     * @throws IllegalArgumentException if that does not fit a Java array
     */
    public int length(int k, int d) {
        long len = (this == VLFEAT ? 0L : k) + 2L * k * d;
        if (len > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(this + " vector length " + len + " for K = " + k + ", D = " + d
                    + " is too large for a Java array");
        }
        return (int) len;
    }
}
