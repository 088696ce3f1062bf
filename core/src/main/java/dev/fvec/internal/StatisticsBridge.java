package dev.fvec.internal;

import dev.fvec.GmmStatistics;

/**
 * Not API. Lets {@link dev.fvec.spi.StatisticsAccess} reach {@link GmmStatistics}' private
 * members without making them public: {@code GmmStatistics} installs the only instance from its
 * static initialiser, and {@link #install} refuses any other caller.
 */
public abstract class StatisticsBridge {

    private static volatile StatisticsBridge instance;

    /** For {@link GmmStatistics}' own subclass only. */
    protected StatisticsBridge() {
    }

    /**
     * Installs the bridge; only {@link GmmStatistics} may call this, once.
     *
     * @param bridge the bridge
     * @throws IllegalStateException if called by another class or twice
     */
    public static synchronized void install(StatisticsBridge bridge) {
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).getCallerClass();
        if (caller != GmmStatistics.class || instance != null) {
            throw new IllegalStateException("the statistics bridge is installed by GmmStatistics only, once");
        }
        instance = bridge;
    }

    /**
     * The installed bridge, initialising {@link GmmStatistics} first if needed.
     *
     * @return the bridge
     */
    public static StatisticsBridge get() {
        StatisticsBridge b = instance;
        if (b == null) {
            try {
                Class.forName(GmmStatistics.class.getName(), true, GmmStatistics.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            b = instance;
        }
        return b;
    }

    /**
     * See {@link dev.fvec.spi.StatisticsAccess#s0}.
     *
     * @param stats the statistics
     * @return the live array
     */
    public abstract double[] s0(GmmStatistics stats);

    /**
     * See {@link dev.fvec.spi.StatisticsAccess#s1}.
     *
     * @param stats the statistics
     * @return the live array
     */
    public abstract double[] s1(GmmStatistics stats);

    /**
     * See {@link dev.fvec.spi.StatisticsAccess#s2}.
     *
     * @param stats the statistics
     * @return the live array
     */
    public abstract double[] s2(GmmStatistics stats);

    /**
     * See {@link dev.fvec.spi.StatisticsAccess#addCounts}.
     *
     * @param stats the statistics
     * @param descriptors descriptors added
     * @param keptTerms terms kept
     * @param logLikelihood log-likelihood added
     */
    public abstract void addCounts(GmmStatistics stats, long descriptors, long keptTerms, double logLikelihood);
}
