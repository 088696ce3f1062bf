package dev.fvec.spark;

import dev.fvec.GmmStatistics;
import dev.fvec.spi.StatisticsAccess;

/**
 * {@link GmmStatistics} as one {@code double[]}, to return them from tasks:
 * {@code [N, kept, logLikelihood, S0 (K), S1 (K x D), S2 (K x D)]}. {@code N} and {@code kept}
 * are exact in a double up to {@code 2^53}.
 */
final class StatisticsCodec {

    private StatisticsCodec() {
    }

    static double[] pack(GmmStatistics s) {
        double[] s0 = StatisticsAccess.s0(s);
        double[] s1 = StatisticsAccess.s1(s);
        double[] s2 = StatisticsAccess.s2(s);
        double[] out = new double[3 + s0.length + 2 * s1.length];
        out[0] = s.count();
        out[1] = s.keptTerms();
        out[2] = s.logLikelihood();
        System.arraycopy(s0, 0, out, 3, s0.length);
        System.arraycopy(s1, 0, out, 3 + s0.length, s1.length);
        System.arraycopy(s2, 0, out, 3 + s0.length + s1.length, s2.length);
        return out;
    }

    /** Adds the packed statistics {@code packed} into {@code into}, as {@link GmmStatistics#merge} would. */
    static void mergeInto(GmmStatistics into, double[] packed) {
        double[] s0 = StatisticsAccess.s0(into);
        double[] s1 = StatisticsAccess.s1(into);
        double[] s2 = StatisticsAccess.s2(into);
        if (packed.length != 3 + s0.length + 2 * s1.length) {
            throw new IllegalArgumentException("packed statistics of length " + packed.length + " do not fit K = "
                    + into.components() + ", D = " + into.dimension());
        }
        StatisticsAccess.addCounts(into, (long) packed[0], (long) packed[1], packed[2]);
        int o = 3;
        for (int i = 0; i < s0.length; i++) {
            s0[i] += packed[o + i];
        }
        o += s0.length;
        for (int i = 0; i < s1.length; i++) {
            s1[i] += packed[o + i];
        }
        o += s1.length;
        for (int i = 0; i < s2.length; i++) {
            s2[i] += packed[o + i];
        }
    }
}
