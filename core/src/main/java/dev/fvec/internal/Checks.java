package dev.fvec.internal;

import java.util.Objects;

/**
 * Not API. The input checks of the public entry points (encoder, model, trainer), in one place
 * so that each check and its message exist once; kernels only {@code assert}. Every message names
 * the array, the index and the value.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * The first index in {@code [from, to)} that holds NaN or infinity.
     *
     * @param a the values
     * @param from first index checked
     * @param to end of the checked range, exclusive
     * @return that index, or {@code -1} when every value is finite
     */
    public static int firstNonFinite(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            // x - x is 0 for finite x and NaN for NaN and both infinities: one test covers all three.
            if (a[i] - a[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Throws naming {@code name} and the first index in {@code [from, to)} that holds NaN or infinity.
     *
     * @param name the array's name in the message
     * @param a the values
     * @param from first index checked
     * @param to end of the checked range, exclusive
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public static void requireFinite(String name, float[] a, int from, int to) {
        int i = firstNonFinite(a, from, to);
        if (i >= 0) {
            throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + ": every value must be finite");
        }
    }

    /**
     * As {@link #requireFinite(String, float[], int, int)}, for doubles.
     *
     * @param name the array's name in the message
     * @param a the values
     * @param from first index checked
     * @param to end of the checked range, exclusive
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public static void requireFinite(String name, double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] - a[i] != 0) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + ": every value must be finite");
            }
        }
    }

    /**
     * Checks that {@code [offset, offset + length)} lies inside an array of {@code arrayLength}.
     *
     * @param name the array's name in the message
     * @param arrayLength the array's length
     * @param offset start of the range
     * @param length length of the range
     * @throws IllegalArgumentException if the range is negative or does not fit
     */
    public static void requireRange(String name, int arrayLength, int offset, long length) {
        if (!fits(arrayLength, offset, length)) {
            throw new IllegalArgumentException(name + ": range [" + offset + ", " + (offset + length)
                    + ") does not fit in an array of length " + arrayLength);
        }
    }

    /**
     * Checks {@code n} descriptors {@code x[offset + i * d + j]}: {@code x} is not null, {@code n}
     * is not negative, the block fits in {@code x}, and every value is finite.
     *
     * @param x descriptors, row-major
     * @param offset index of the first descriptor's first value
     * @param n number of descriptors
     * @param d the dimension
     * @throws NullPointerException if {@code x} is null
     * @throws IllegalArgumentException naming the descriptor and dimension of the first NaN or
     *     infinity, or saying how the block does not fit
     */
    public static void requireDescriptors(float[] x, int offset, int n, int d) {
        requireDescriptors(x, offset, n, d, null);
    }

    /**
     * {@link #requireDescriptors(float[], int, int, int)} for the input of {@code model}: its
     * {@code Din} columns, which a model with a PCA projection maps to its {@code D}; a message
     * about the length then names both ({@code "descriptors of Din = 128 (the model's PCA projects them to D = 64)"}).
     */
    public static void requireModelInput(float[] x, int offset, int n, dev.fvec.DiagonalGmm model) {
        requireDescriptors(x, offset, n, model.inputDimension(), model);
    }

    /**
     * {@link #requireModelInput} but for the finiteness of the values, which the caller checks
     * itself (the encoder, with its kernel's {@code firstNonFinite}) and reports with
     * {@link #nonFiniteDescriptor}.
     */
    public static void requireModelInputShape(float[] x, int offset, int n, dev.fvec.DiagonalGmm model) {
        requireDescriptorShape(x, offset, n, model.inputDimension(), model);
    }

    /**
     * The exception for the NaN or infinity at {@code x[i]}, in descriptors of {@code d} values
     * from {@code x[offset]}: it names the descriptor and the dimension.
     *
     * @param x the descriptors
     * @param i the index of the value
     * @param offset index of the first descriptor's first value
     * @param d the dimension
     * @return the exception, to throw
     */
    public static IllegalArgumentException nonFiniteDescriptor(float[] x, int i, int offset, int d) {
        return new IllegalArgumentException("x[" + i + "] = " + x[i] + " (descriptor " + (i - offset) / d
                + ", dimension " + (i - offset) % d + "): every descriptor value must be finite");
    }

    /** {@code model}: whose input the {@code d} columns are, or null; only looked at to word an error. */
    private static void requireDescriptors(float[] x, int offset, int n, int d, dev.fvec.DiagonalGmm model) {
        requireDescriptorShape(x, offset, n, d, model);
        int i = firstNonFinite(x, offset, offset + n * d);
        if (i >= 0) {
            throw nonFiniteDescriptor(x, i, offset, d);
        }
    }

    private static void requireDescriptorShape(float[] x, int offset, int n, int d, dev.fvec.DiagonalGmm model) {
        Objects.requireNonNull(x, "x");
        if (n < 0) {
            throw new IllegalArgumentException("descriptor count n = " + n + " is negative");
        }
        long length = (long) n * d;
        if (!fits(x.length, offset, length)) {
            throw new IllegalArgumentException("x has length " + x.length + ", too short for " + n
                    + " descriptors of " + (model == null || model.projection().isEmpty() ? "D = " + d
                            : "Din = " + d + " (the model's PCA projects them to D = " + model.dimension() + ")")
                    + " from offset " + offset);
        }
    }

    private static boolean fits(int arrayLength, int offset, long length) {
        return offset >= 0 && length >= 0 && offset + length <= arrayLength;
    }
}
