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
