package dev.fvec;

/**
 * Which posteriors {@code q_nk} contribute to the statistics (SPEC.md, "Sparsification").
 *
 * <ul>
 *   <li>{@link #threshold(double) threshold t}: terms with {@code q < t} are dropped, the rest are
 *       not renormalised; VLFeat uses {@code t = 1e-6} ({@link #VLFEAT}). The SIMD kernel also
 *       leaves out of the posteriors' normalising sum the terms whose exponent lies more than
 *       {@code ln min(t / 2, 2^-26 / K)} below the descriptor's largest (K rounded up to its vector
 *       width): none of them could be kept, and together they are below {@code 2^-26} of the sum,
 *       under float's resolution of it;</li>
 *   <li>{@link #hard()}: only the most likely component, with posterior 1 (VLFeat's FAST flag);
 *       ties go to the lowest index;</li>
 *   <li>{@link #none()}: {@code t = 0}, every term kept: the exact form.</li>
 * </ul>
 *
 * <p>An encoder built without a sparsity uses its form's default,
 * {@link FisherForm#defaultSparsity()}: {@link #VLFEAT} for {@link FisherForm#VLFEAT},
 * {@link #none()} for {@link FisherForm#GIST} and {@link FisherForm#SKIMAGE} (SPEC.md,
 * "Posteriors").
 *
 * <p>Immutable.
 */
public final class Sparsity {

    /** VLFeat's threshold, what {@code vl_fisher_encode} does: drop posteriors below {@code 1e-6}. */
    public static final Sparsity VLFEAT = new Sparsity(1e-6, false);

    /**
     * VLFeat's threshold under its old name.
     *
     * @deprecated the default now depends on the form ({@link FisherForm#defaultSparsity()}); use
     *     {@link #VLFEAT} for VLFeat's threshold
     */
    @Deprecated
    public static final Sparsity DEFAULT = VLFEAT;

    private static final Sparsity NONE = new Sparsity(0, false);
    private static final Sparsity HARD = new Sparsity(0, true);

    private final double threshold;
    private final boolean hard;

    private Sparsity(double threshold, boolean hard) {
        this.threshold = threshold;
        this.hard = hard;
    }

    /**
     * Drops posteriors {@code q < t}.
     *
     * @param t in {@code [0, 1]}
     * @return that sparsity ({@link #none()} for {@code t = 0})
     * @throws IllegalArgumentException if {@code t} is NaN or outside {@code [0, 1]}
     */
    public static Sparsity threshold(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("posterior threshold " + t + " is outside [0, 1]");
        }
        return t == 0 ? NONE : new Sparsity(t, false);
    }

    /**
     * Hard assignment: the top component only, with posterior 1.
     *
     * @return the hard-assignment sparsity
     */
    public static Sparsity hard() {
        return HARD;
    }

    /**
     * No sparsification ({@code t = 0}): exact posteriors.
     *
     * @return the exact sparsity
     */
    public static Sparsity none() {
        return NONE;
    }

    /** @return whether this is hard assignment */
    public boolean isHard() {
        return hard;
    }

    /** @return the threshold {@code t} (0 for {@link #none()} and {@link #hard()}) */
    public double threshold() {
        return threshold;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sparsity && ((Sparsity) o).hard == hard
                && Double.compare(((Sparsity) o).threshold, threshold) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(threshold) * 31 + (hard ? 1 : 0);
    }

    @Override
    public String toString() {
        return hard ? "hard" : threshold == 0 ? "none" : "threshold(" + threshold + ")";
    }
}
