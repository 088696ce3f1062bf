package dev.fvec;

/** Input checks shared by the public entry points; kernels only assert. */
final class Checks {
    private Checks() {
    }

    /** Throws naming {@code name} and the first index in {@code [from, to)} that holds NaN or infinity. */
    static void requireFinite(String name, float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            // x - x is 0 for finite x and NaN for NaN and both infinities: one test covers all three.
            if (a[i] - a[i] != 0) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + ": every value must be finite");
            }
        }
    }

    static void requireFinite(String name, double[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] - a[i] != 0) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + ": every value must be finite");
            }
        }
    }

    /** Checks that {@code [offset, offset + length)} lies inside an array of {@code arrayLength}. */
    static void requireRange(String name, int arrayLength, int offset, long length) {
        if (offset < 0 || length < 0 || offset + length > arrayLength) {
            throw new IllegalArgumentException(name + ": range [" + offset + ", " + (offset + length)
                    + ") does not fit in an array of length " + arrayLength);
        }
    }
}
