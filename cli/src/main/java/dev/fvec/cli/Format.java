package dev.fvec.cli;

import java.util.Locale;

/** Number formatting for messages: fixed, locale-independent. */
final class Format {
    private Format() {
    }

    /** Nanoseconds as {@code 1.23 s} or {@code 45.6 ms}. */
    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.1f ms", s * 1e3);
    }

    static String fixed(double x, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", x);
    }

    static String sci(double x) {
        return String.format(Locale.ROOT, "%.2e", x);
    }

    /** A constant as people write it: {@code 1e-4}, not {@code 1.0E-4}. */
    static String number(double x) {
        return Double.toString(x).replace(".0E", "e").replace("E", "e");
    }

    /** {@code 12345678} as {@code 12,345,678}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
