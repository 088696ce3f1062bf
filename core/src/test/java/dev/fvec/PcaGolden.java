package dev.fvec;

import dev.fvec.io.NpyArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The PCA reference cases under {@code golden/pca/<case>/} (made by
 * core/src/test/python/make_pca_fixtures.py): a model exported from scikit-learn's {@code PCA} +
 * {@code GaussianMixture} ({@code model.npz}, float64, with {@code pca_*} keys), raw 128-D
 * SIFT-like {@code descriptors.npy}, their projection {@code projected.npy} and
 * {@code expected_<form>[_improved].npy}, all computed in float64 by a NumPy transcription of
 * SPEC.md (each form with its default sparsity). Shared with the simd module through the core test jar.
 */
public final class PcaGolden {

    public static final String[] CASES = {"sift_D32_K8", "sift_D32_K8_whiten"};

    /**
     * The scalar reference (double, after a projection rounded to float once) against the float64
     * oracle. Rounding {@code y} to float moves each {@code y_j} by up to {@code 2^-24 |y_j|} and so
     * each log-likelihood by up to {@code 2^-24 sum_j |y_j - mu_kj| |y_j| / var_kj}, about
     * {@code 2^-24 x D x 3 x 3 ~ 2e-5} nats for values within 3 standard deviations (D = 32, ~1e-5
     * in practice with random signs); posteriors move by that much relatively, and the statistics
     * with them. So 1e-4 relative (10x), with {@code atol} at 1e-5 of the largest element for the
     * elements that are sums of cancelling terms; a wrong projection (a missing centring, a
     * transposed matrix, whitening left out) misses by orders of magnitude.
     */
    public static final Tolerances.Tolerance PROJECTED_REFERENCE = new Tolerances.Tolerance(1e-4, 1e-5);

    /**
     * A float kernel and float projection (SIMD) against the oracle: {@link Tolerances#FLOAT_KERNEL}'s
     * analysis for the kernel, plus the projection's float error. Each {@code y_j} is a chain of
     * {@code Din = 128} fused multiply-adds of centred values, off by about {@code sqrt(Din) u} of
     * {@code sum_i |c_i w_ij|} (random roundings; a few times {@code |y_j|} on these data), which
     * moves log-likelihoods by about as much as the reference's rounding of {@code y} does: twice
     * the float kernel's tolerance, still orders of magnitude below a wrong projection's effect.
     */
    public static final Tolerances.Tolerance FLOAT_PROJECTED = new Tolerances.Tolerance(2e-4, 2e-5);

    private PcaGolden() {
    }

    /** One expected vector: a case, a form (with its default sparsity), improved or not. */
    public static final class Variant {
        public final String caseName;
        public final FisherForm form;
        public final boolean improved;

        Variant(String caseName, FisherForm form, boolean improved) {
            this.caseName = caseName;
            this.form = form;
            this.improved = improved;
        }

        public FisherEncoder.Builder configure(FisherEncoder.Builder b) {
            b.form(form);
            return improved ? b.improved() : b;
        }

        public double[] expected() {
            return GoldenCases.readDoubles("pca/" + caseName + "/expected_" + form.name().toLowerCase()
                    + (improved ? "_improved" : "") + ".npy");
        }

        @Override
        public String toString() {
            return caseName + "/" + form + (improved ? " improved" : "");
        }
    }

    public static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (String c : CASES) {
            for (FisherForm f : FisherForm.values()) {
                out.add(new Variant(c, f, false));
                out.add(new Variant(c, f, true));
            }
        }
        return out;
    }

    public static DiagonalGmm model(String caseName) {
        return GoldenCases.model("pca/" + caseName);
    }

    public static NpyArray descriptors(String caseName) {
        return GoldenCases.descriptors("pca/" + caseName);
    }

    public static double[] projected(String caseName) {
        return GoldenCases.readDoubles("pca/" + caseName + "/projected.npy");
    }
}
