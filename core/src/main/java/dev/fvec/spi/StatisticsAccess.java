package dev.fvec.spi;

import dev.fvec.GmmStatistics;
import dev.fvec.internal.StatisticsBridge;

/**
 * Write access to a {@link GmmStatistics}' live arrays and counters, for kernels and the
 * trainer's M-step only. Users read statistics through {@link GmmStatistics}' own getters, which
 * return copies; the arrays here are the statistics themselves, so a caller must not keep them
 * beyond one call nor hand them on.
 *
 * <p>Layouts (SPEC.md, "Sufficient statistics"): {@code S0[k]} (length {@code K}),
 * {@code S1[k * D + j]} and {@code S2[k * D + j]} ({@code K x D}, row-major).
 */
public final class StatisticsAccess {

    private static final StatisticsBridge BRIDGE = StatisticsBridge.get();

    private StatisticsAccess() {
    }

    /**
     * The live {@code S0} array.
     *
     * @param stats the statistics
     * @return its {@code S0}, length {@code K}; writes change {@code stats}
     */
    public static double[] s0(GmmStatistics stats) {
        return BRIDGE.s0(stats);
    }

    /**
     * The live {@code S1} array.
     *
     * @param stats the statistics
     * @return its {@code S1}, {@code K x D} row-major; writes change {@code stats}
     */
    public static double[] s1(GmmStatistics stats) {
        return BRIDGE.s1(stats);
    }

    /**
     * The live {@code S2} array.
     *
     * @param stats the statistics
     * @return its {@code S2}, {@code K x D} row-major; writes change {@code stats}
     */
    public static double[] s2(GmmStatistics stats) {
        return BRIDGE.s2(stats);
    }

    /**
     * Adds to the scalar counters; a kernel calls this once per block, after adding that block's
     * moments to the arrays.
     *
     * @param stats the statistics
     * @param descriptors descriptors in the block, {@code >= 0}
     * @param keptTerms {@code (n, k)} posterior terms kept, {@code >= 0}
     * @param logLikelihood the block's {@code sum_n logsumexp_k log p_k(x_n)}
     * @throws IllegalArgumentException if a count is negative
     */
    public static void addCounts(GmmStatistics stats, long descriptors, long keptTerms, double logLikelihood) {
        BRIDGE.addCounts(stats, descriptors, keptTerms, logLikelihood);
    }
}
