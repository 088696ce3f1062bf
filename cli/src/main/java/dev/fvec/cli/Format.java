package dev.fvec.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting for messages: fixed, locale-independent. The same text as
 * {@code String.format(Locale.ROOT, ...)} with the patterns named below, made without
 * {@link java.util.Formatter}: its first use in a JVM loads and initialises the locale providers
 * (CLDR data, resource bundles), about 100 classes, which was a visible part of a one-file
 * {@code fvec encode}'s run after the encode (measured in the class-loading log: 15-25 ms of a
 * 0.4-0.5 s run on the loaded 2-core machine). Rounding as {@code Formatter}'s: half up, on the
 * shortest decimal form of the double ({@link Double#toString}).
 */
final class Format {
    private Format() {
    }

    /** Nanoseconds as {@code 1.23 s} or {@code 45.6 ms} ({@code "%.2f s"}, {@code "%.1f ms"}). */
    static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 1 ? fixed(s, 2) + " s" : fixed(s * 1e3, 1) + " ms";
    }

    /** {@code "%.<decimals>f"}. */
    static String fixed(double x, int decimals) {
        if (!Double.isFinite(x)) {
            return nonFinite(x);
        }
        String s = new BigDecimal(Double.toString(Math.abs(x))).setScale(decimals, RoundingMode.HALF_UP).toPlainString();
        return negative(x) ? "-" + s : s;
    }

    /** {@code "%.2e"}: {@code 9.63e-03}, {@code 1.00e+00}. */
    static String sci(double x) {
        if (!Double.isFinite(x)) {
            return nonFinite(x);
        }
        String sign = negative(x) ? "-" : "";
        if (x == 0) {
            return sign + "0.00e+00";
        }
        BigDecimal v = new BigDecimal(Double.toString(Math.abs(x))).round(new MathContext(3, RoundingMode.HALF_UP));
        int exponent = v.precision() - v.scale() - 1;
        String digits = v.unscaledValue().toString();
        digits = (digits + "00").substring(0, 3); // 3 significant digits (the unscaled value may have fewer)
        int e = Math.abs(exponent);
        return sign + digits.charAt(0) + "." + digits.substring(1) + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
    }

    /** A constant as people write it: {@code 1e-4}, not {@code 1.0E-4}. */
    static String number(double x) {
        return Double.toString(x).replace(".0E", "e").replace("E", "e");
    }

    /** {@code 12345678} as {@code 12,345,678} ({@code "%,d"}). */
    static String count(long n) {
        String digits = Long.toString(n);
        int start = n < 0 ? 1 : 0;
        StringBuilder sb = new StringBuilder(digits.length() + digits.length() / 3);
        sb.append(digits, 0, start);
        for (int i = start; i < digits.length(); i++) {
            if (i > start && (digits.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** Formatter's sign rule: a minus for negative values and for -0.0. */
    private static boolean negative(double x) {
        return x < 0 || Double.doubleToRawLongBits(x) == Long.MIN_VALUE;
    }

    private static String nonFinite(double x) {
        return Double.isNaN(x) ? "NaN" : x > 0 ? "Infinity" : "-Infinity";
    }
}
