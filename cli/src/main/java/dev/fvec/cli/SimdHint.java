package dev.fvec.cli;

/** How to enable the SIMD kernel, for messages that say it is not in use. */
final class SimdHint {
    static final String TEXT = "to enable SIMD, run Java 17+ (HotSpot) with --add-modules jdk.incubator.vector"
            + " (the ./fvec launcher does)";

    private SimdHint() {
    }

    /** {@code reason}, followed by how to enable SIMD unless the reason already says it. */
    static String explain(String reason) {
        return reason.contains("--add-modules") ? reason + " (the ./fvec launcher does)" : reason + "; " + TEXT;
    }
}
