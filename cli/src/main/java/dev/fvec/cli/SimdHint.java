package dev.fvec.cli;

/** How to enable the SIMD kernel, appended to messages that say it is not in use. */
final class SimdHint {
    static final String TEXT = "to enable SIMD, run Java 17+ (HotSpot) with --add-modules jdk.incubator.vector"
            + " (the ./fvec launcher does)";

    private SimdHint() {
    }
}
