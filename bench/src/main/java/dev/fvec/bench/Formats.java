package dev.fvec.bench;

import java.util.Locale;

/** How the report shows shapes, times and ratios. */
final class Formats {

    private Formats() {
    }

    /** D, K, N of a shape: {@code DxKxN}, or parsed from a golden case name such as {@code golden:a_D64_K256_N1000}. */
    static String[] dkn(String shape) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("_D(\\d+)_K(\\d+)_N(\\d+)$").matcher(shape);
        if (m.find()) {
            return new String[] {m.group(1), m.group(2), m.group(3)};
        }
        String[] p = shape.split("x");
        return p.length == 3 ? p : new String[] {shape, "", ""};
    }

    /** "synthetic", or the golden case's name. */
    static String input(String shape) {
        return shape.startsWith("golden:") ? "golden " + shape.substring("golden:".length()) : "synthetic";
    }

    /** A time in JMH's unit, shown in the most readable of ns, µs, ms. */
    static String time(double v, String unit) {
        if (Double.isNaN(v)) {
            return "";
        }
        double ns = v * (unit.startsWith("ns") ? 1 : unit.startsWith("us") ? 1e3 : unit.startsWith("ms") ? 1e6
                : unit.startsWith("s") ? 1e9 : Double.NaN);
        if (Double.isNaN(ns)) {
            return num(v) + " " + unit;
        }
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.1f ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : String.format(Locale.ROOT, "%.2f×", r);
    }

    /** A time in JMH's unit, in milliseconds. */
    static double toMs(double v, String unit) {
        return v * (unit.startsWith("ns") ? 1e-6 : unit.startsWith("us") ? 1e-3 : unit.startsWith("ms") ? 1 : 1e3);
    }

    /** The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least {@code v}. */
    static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
