package dev.fvec;

/**
 * The Fisher-vector forms of SPEC.md. Each is a function of the statistics
 * {@code s0 = S0/N, s1 = S1/N, s2 = S2/N}.
 */
public enum FisherForm {
    /**
     * The original scikit-learn recipe (Krapac, Verbeek, Jurie, ICCV 2011), without Fisher
     * normalisation. Length {@code K + 2KD}, layout {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.
     */
    GIST,
    /**
     * VLFeat's {@code vl_fisher_encode} (Sanchez, Perronnin, Mensink, Verbeek, IJCV 2013). Length
     * {@code 2KD}, layout {@code [u_1 .. u_K | v_1 .. v_K]}, each block {@code D} long. Components
     * with {@code w_k < 1e-6} are skipped (left zero), as VLFeat does.
     */
    VLFEAT,
    /**
     * scikit-image's {@code skimage.feature.fisher_vector}: GIST divided by the analytical diagonal
     * Fisher normalisation. Length {@code K + 2KD}, layout {@code [d_pi (K) | d_mu (K x D) | d_sigma (K x D)]}.
     */
    SKIMAGE;

    /** Length of this form's vector for {@code K} components in dimension {@code D}. */
    public int length(int k, int d) {
        long len = (this == VLFEAT ? 0L : k) + 2L * k * d;
        if (len > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(this + " vector length " + len + " for K = " + k + ", D = " + d
                    + " is too large for a Java array");
        }
        return (int) len;
    }
}
