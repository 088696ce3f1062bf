package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Format gives String.format's text (Locale.ROOT) without java.util.Formatter. */
class FormatTest {

    private static final double[] EDGES = {0.0, -0.0, 1, -1, 0.5, 0.05, 0.005, 0.0005, 0.125, 0.375, 2.5, 9.995, 9.9949,
        99.95, 999.95, 0.9995, 1e-300, 4.9e-324, 1e300, Double.MAX_VALUE, 123456.785, 1.005, 2.675, 1.45e-5, 9.999e-7,
        -118.19265, 3.47e-03, 1e-4, 0.001, 1e7, 1.0e10, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    @Test
    void fixedAndSciMatchStringFormat() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int i = 0; i < EDGES.length + 20000; i++) {
            double x = i < EDGES.length ? EDGES[i] : randomValue(rnd);
            for (int decimals = 0; decimals <= 4; decimals++) {
                assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", x), Format.fixed(x, decimals), "fixed " + x);
            }
            assertEquals(String.format(Locale.ROOT, "%.2e", x), Format.sci(x), "sci " + x);
        }
    }

    @Test
    void countsAndSecondsMatchStringFormat() {
        long[] counts = {0, 1, 12, 123, 1234, 12345, 999_999, 1_000_000, -1, -1234, -123456, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long n : counts) {
            assertEquals(String.format(Locale.ROOT, "%,d", n), Format.count(n));
        }
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < 20000; i++) {
            long nanos = i < 3 ? new long[] {0, 999_950_000, 999_999_999}[i] : (long) Math.pow(10, rnd.nextDouble(0, 11));
            double s = nanos / 1e9;
            String expected = s >= 1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.1f ms", s * 1e3);
            assertEquals(expected, Format.seconds(nanos), "seconds " + nanos);
        }
    }

    /** Values of every magnitude, short decimals (ties) among them. */
    private static double randomValue(SplittableRandom rnd) {
        double x = switch (rnd.nextInt(3)) {
            case 0 -> Math.pow(10, rnd.nextDouble(-12, 12));
            case 1 -> rnd.nextInt(100_000) / 1000.0; // ties such as 2.675 at 2 decimals
            default -> Double.longBitsToDouble(rnd.nextLong());
        };
        return rnd.nextBoolean() ? -x : x;
    }
}
