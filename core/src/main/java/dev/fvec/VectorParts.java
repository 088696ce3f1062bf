package dev.fvec;

/**
 * A Fisher vector in double before its normalisation ({@link FisherForm#gradients}, then
 * {@link Normalisation#finish}), its blocks each in an array of its own, from index 0, so that the
 * loops over them store at the index they load at: C2 (JDK 17 and 25) does not vectorise a loop
 * that stores at {@code fv[base + i]} while it reads other {@code double[]}s at {@code i}, since
 * it cannot rule out that they are the same array (VLFEAT's {@code v} block, written so, took 18 us
 * at K = 256, D = 64 on Zen 5, 5 us from index 0).
 *
 * <p>The vector is the concatenation of {@link #parts}, in order: {@code [u | v]} for
 * {@link FisherForm#VLFEAT}, {@code [d_pi | d_mu | d_sigma]} for the others, then
 * {@link #extra} when it is not empty (a spatial encoder's block).
 *
 * <p>Scratch of one call; not thread-safe.
 */
final class VectorParts {

    /** {@code K}: {@code d_pi} (GIST, SKIMAGE); empty for VLFEAT. */
    final double[] pi;
    /** {@code K x D}, row-major: {@code u} (VLFEAT) or {@code d_mu}. */
    final double[] mu;
    /** {@code K x D}, row-major: {@code v} (VLFEAT) or {@code d_sigma}. */
    final double[] sigma;
    /** After the form's blocks: {@code extra} values (a spatial block), or empty. */
    final double[] extra;
    /** {@code K x D}: {@code s0[k] / N} repeated over component {@code k}'s {@code D} elements (the forms' loops run over all of them at once). */
    final double[] s0PerElement;
    /** The non-empty blocks in the vector's order; their lengths add up to the vector's. */
    final double[][] parts;

    VectorParts(FisherForm form, int k, int d, int extra) {
        this.pi = new double[form == FisherForm.VLFEAT ? 0 : k];
        this.mu = new double[k * d];
        this.sigma = new double[k * d];
        this.extra = new double[extra];
        this.s0PerElement = new double[k * d];
        int n = (pi.length > 0 ? 1 : 0) + 2 + (extra > 0 ? 1 : 0);
        this.parts = new double[n][];
        int p = 0;
        if (pi.length > 0) {
            parts[p++] = pi;
        }
        parts[p++] = mu;
        parts[p++] = sigma;
        if (extra > 0) {
            parts[p] = this.extra;
        }
    }
}
