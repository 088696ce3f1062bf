package dev.fvec;

/**
 * Which posteriors {@code q_nk} contribute to the statistics (SPEC.md, "Sparsification").
 *
 * <ul>
 *   <li>{@link #threshold(double) threshold t}: terms with {@code q < t} are dropped, the rest are
 *       not renormalised; VLFeat uses {@code t = 1e-6} ({@link #DEFAULT});</li>
 *   <li>{@link #hard()}: only the most likely component, with posterior 1 (VLFeat's FAST flag);
 *       ties go to the lowest index;</li>
 *   <li>{@link #none()}: {@code t = 0}, every term kept: the exact form.</li>
 * </ul>
 *
 * <p>Immutable.
 */
public final class Sparsity {

    /** VLFeat's default: drop posteriors below {@code 1e-6}. */
    public static final Sparsity DEFAULT = new Sparsity(1e-6, false);

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
     * @throws IllegalArgumentException if {@code t} is NaN or outside {@code [0, 1]}
     */
    public static Sparsity threshold(double t) {
        if (!(t >= 0 && t <= 1)) {
            throw new IllegalArgumentException("posterior threshold " + t + " is outside [0, 1]");
        }
        return t == 0 ? NONE : new Sparsity(t, false);
    }

    /** Hard assignment: the top component only, with posterior 1. */
    public static Sparsity hard() {
        return HARD;
    }

    /** No sparsification ({@code t = 0}). */
    public static Sparsity none() {
        return NONE;
    }

    /** Whether this is hard assignment. */
    public boolean isHard() {
        return hard;
    }

    /** The threshold {@code t} (0 for {@link #none()} and {@link #hard()}). */
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
