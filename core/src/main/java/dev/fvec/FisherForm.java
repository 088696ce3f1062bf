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
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, double[] fv) {
            int k = m.components();
            int d = m.dimension();
            int sigmaBase = k + k * d;
            for (int c = 0; c < k; c++) {
                double s0k = s0[c] * invN;
                fv[c] = s0k - m.weights[c]; // d_pi
                for (int j = 0; j < d; j++) {
                    int i = c * d + j;
                    double s1kj = s1[i] * invN;
                    double s2kj = s2[i] * invN;
                    double mu = m.means[i];
                    double var = m.variances[i];
                    fv[k + i] = s1kj - s0k * mu; // d_mu
                    fv[sigmaBase + i] = -s2kj - s0k * mu * mu + s0k * var + 2 * s1kj * mu; // d_sigma
                }
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
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, double[] fv) {
            fisherNormalised(m, s0, s1, s2, invN, fv, 0, false);
        }
    },
    /**
     * scikit-image's {@code skimage.feature.fisher_vector}: GIST divided by the analytical diagonal
     * Fisher normalisation. Length {@code K + 2KD}, layout {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.
     */
    SKIMAGE {
        @Override
        void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, double[] fv) {
            int k = m.components();
            for (int c = 0; c < k; c++) {
                fv[c] = (s0[c] * invN - m.weights[c]) / m.sqrtWeights[c]; // d_pi / sqrt(w_k)
            }
            fisherNormalised(m, s0, s1, s2, invN, fv, k, true);
        }
    };

    /** VLFeat skips components whose weight is below this. */
    static final double VLFEAT_MIN_WEIGHT = 1e-6;

    /**
     * Writes this form's unnormalised vector (before power and L2 normalisation) into
     * {@code fv[0 .. length(K, D))}, from the raw statistics and {@code invN = 1 / N}.
     */
    abstract void gradients(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN, double[] fv);

    /**
     * VLFeat's {@code u} and {@code v} into {@code fv[base ..]} (blocks of {@code KD} each); SKIMAGE's
     * {@code d_mu} and {@code d_sigma} are the same with {@code v}'s sign flipped. Components whose weight
     * is below {@link #VLFEAT_MIN_WEIGHT} are left zero for VLFEAT only.
     */
    private static void fisherNormalised(DiagonalGmm m, double[] s0, double[] s1, double[] s2, double invN,
            double[] fv, int base, boolean skimage) {
        int k = m.components();
        int d = m.dimension();
        int sigmaBase = base + k * d;
        float[] means = m.means;
        float[] variances = m.variances;
        double[] sigmas = m.sigmas;
        // v's sign as a factor: 1 (exact) or -1 (exact, as a negation), so the loops below have no
        // branch. u and v in loops of their own: with both stores to fv in one loop, C2 did not
        // vectorise it (it cannot tell that fv[i] and fv[sigmaBase + i] do not overlap); split,
        // 140 -> 94 us at K = 1024, D = 64 (Zen 5, JDK 25). The same operations in the same order
        // as the formulas: the same bits.
        double sign = skimage ? -1 : 1;
        for (int c = 0; c < k; c++) {
            int from = c * d;
            if (!skimage && m.weights[c] < VLFEAT_MIN_WEIGHT) {
                java.util.Arrays.fill(fv, base + from, base + from + d, 0);
                java.util.Arrays.fill(fv, sigmaBase + from, sigmaBase + from + d, 0);
                continue;
            }
            double s0k = s0[c] * invN;
            double sqrtW = m.sqrtWeights[c];
            double sqrt2W = Math.sqrt(2.0) * sqrtW;
            for (int i = from; i < from + d; i++) {
                double s1kj = s1[i] * invN;
                double mu = means[i];
                fv[base + i] = (s1kj - s0k * mu) / (sqrtW * sigmas[i]); // u
            }
            for (int i = from; i < from + d; i++) {
                double s1kj = s1[i] * invN;
                double s2kj = s2[i] * invN;
                double mu = means[i];
                double var = variances[i];
                double v = (s2kj - 2 * mu * s1kj + (mu * mu - var) * s0k) / (sqrt2W * var);
                fv[sigmaBase + i] = v * sign;
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
