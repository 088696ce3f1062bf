package dev.fvec.cli;

/** The launcher's part in enabling SIMD, for messages that say it is not in use. */
final class SimdHint {

    private SimdHint() {
    }

    /**
     * {@code reason} (the library's, which says what is missing), plus a note that the ./fvec
     * launcher adds the vector module when the reason asks for it.
     */
    static String explain(String reason) {
        return reason.contains("--add-modules") ? reason + " (the ./fvec launcher does)" : reason;
    }
}
