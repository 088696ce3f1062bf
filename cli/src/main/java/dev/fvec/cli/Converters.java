package dev.fvec.cli;

import dev.fvec.FisherForm;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Typed option values with their ranges. A bad value's message says what was expected and what
 * came; {@link Errors} puts the option's name in front: {@code --power: expected a number in
 * (0, 1], got 2}. (picocli instantiates converters by class, hence one small class per range.)
 */
final class Converters {

    private Converters() {
    }

    /** A whole number in {@code [min, max]}. */
    static class WholeNumber implements ITypeConverter<Integer> {
        private final long min;
        private final long max;

        WholeNumber(long min, long max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Integer convert(String v) {
            String range = max == Integer.MAX_VALUE ? " >= " + min : " in [" + min + ", " + max + "]";
            long x;
            try {
                x = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a whole number" + range + ", got '" + v + "'");
            }
            if (x < min || x > max) {
                throw new TypeConversionException("expected a whole number" + range + ", got " + x);
            }
            return (int) x;
        }
    }

    /** A count: 1 or more. */
    static final class Positive extends WholeNumber {
        Positive() {
            super(1, Integer.MAX_VALUE);
        }
    }

    /** A thread count. */
    static final class Threads extends WholeNumber {
        Threads() {
            super(1, 4096);
        }
    }

    /** Any long (a seed). */
    static final class AnyLong implements ITypeConverter<Long> {
        @Override
        public Long convert(String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a whole number, got '" + v + "'");
            }
        }
    }

    /** A finite number in {@code [min, max]}, or {@code (min, max]} when {@code minOpen}. NaN is rejected. */
    static class Real implements ITypeConverter<Double> {
        private final double min;
        private final boolean minOpen;
        private final double max;

        Real(double min, boolean minOpen, double max) {
            this.min = min;
            this.minOpen = minOpen;
            this.max = max;
        }

        @Override
        public Double convert(String v) {
            String interval = (minOpen ? "(" : "[") + format(min) + ", " + format(max) + "]";
            double x;
            try {
                x = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a number in " + interval + ", got '" + v + "'");
            }
            boolean aboveMin = minOpen ? x > min : x >= min;
            if (!(aboveMin && x <= max)) { // also rejects NaN
                throw new TypeConversionException("expected a number in " + interval + ", got " + v);
            }
            return x;
        }

        private static String format(double x) {
            if (x == Double.MAX_VALUE) {
                return "inf";
            }
            return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
        }
    }

    /** A power-normalisation exponent, in (0, 1]. */
    static final class Exponent extends Real {
        Exponent() {
            super(0, true, 1);
        }
    }

    /** A posterior threshold, in [0, 1]. */
    static final class Fraction extends Real {
        Fraction() {
            super(0, false, 1);
        }
    }

    /** 0 or more (a tolerance). */
    static final class NonNegative extends Real {
        NonNegative() {
            super(0, false, Double.MAX_VALUE);
        }
    }

    /** More than 0, and representable as a float (a variance floor). */
    static final class PositiveFloat extends Real {
        PositiveFloat() {
            super(0, true, Float.MAX_VALUE);
        }
    }

    /** One of a few words, case-insensitive, lower-cased; also the words shell completion offers. */
    static class Choice implements ITypeConverter<String>, Iterable<String> {
        private final String[] choices;

        Choice(String... choices) {
            this.choices = choices;
        }

        @Override
        public String convert(String v) {
            String lower = v.toLowerCase(Locale.ROOT);
            for (String c : choices) {
                if (c.equals(lower)) {
                    return c;
                }
            }
            throw new TypeConversionException("expected " + String.join(" or ", choices) + ", got '" + v + "'");
        }

        @Override
        public Iterator<String> iterator() {
            return List.of(choices).iterator();
        }
    }

    /** {@code --kernel}. */
    static final class KernelName extends Choice {
        KernelName() {
            super("scalar", "simd");
        }
    }

    /** {@code --init}. */
    static final class Init extends Choice {
        Init() {
            super("kmeans++", "random");
        }
    }

    /** {@code --form}: a {@link FisherForm} by its lower-case name. */
    static final class Form implements ITypeConverter<FisherForm>, Iterable<String> {
        private final Choice names = new Choice("vlfeat", "gist", "skimage");

        @Override
        public FisherForm convert(String v) {
            return FisherForm.valueOf(names.convert(v).toUpperCase(Locale.ROOT));
        }

        @Override
        public Iterator<String> iterator() {
            return names.iterator();
        }
    }
}
