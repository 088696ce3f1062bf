package dev.fvec.cli;

import java.util.List;

/**
 * {@code fvec encode} knows its whole job before it starts (every file's header is read first),
 * so it can tell when the SIMD kernel's background warm-up cannot pay for itself, and then runs
 * without it, as {@code -Dfvec.simd.warmup=off} would: the scalar twin, bitwise equal to the vector
 * lanes, serves every call (outputs are the same either way).
 *
 * <p>The library starts the warm-up after {@code 2^33} terms (descriptors x K x D) of twin work;
 * it costs about 1-1.5 s of CPU (its own thread and C2 compiling the vector kernel), and the vector
 * lanes then save what the twin costs above them: about 0.8 ms per 16.4M terms (1000 x 64
 * descriptors at K = 256: 1.34-1.41 ms on the twin, 0.55 ms on the vector lanes, TwinTiming, JDK 17,
 * 2-core Zen 5 at load 6), 1.3 ms before the twin's log-likelihoods took two descriptors per loop
 * (1.89 against 0.58 ms). It pays back only when about {@code 2.2 x 2^33} terms are left after it
 * starts; measured whole (300-file lists repeated, {@code taskset -c 0}, {@code -Dfvec.simd.warmup}
 * off or background alternated, load 5-7, CPU time): 2400 files 6.55-6.82 s without it against
 * 7.89-8.49 s with it, 3000 files 7.81-7.98 s against 6.85-8.42 s (the twin before that change:
 * 8.83-9.03 s against 10.78-11.75 s); with the launcher's 64-byte object alignment (the twin 1.09-1.16 ms
 * a file) 3900 files 9.03-10.54 s against 8.18-9.26 s: it pays there. So a job of fewer than {@link #WARM_UP_PAYS} terms (about
 * 3150 files of 1000 x 64 at K = 256) runs without it. Jobs of 524 files or fewer never reach the
 * warm-up and are unchanged.
 *
 * <p>Only in {@link Main#main}'s own process (a system property is JVM-wide), and never over a
 * {@code fvec.simd.warmup} the user set.
 */
final class WarmUpPolicy {

    /** The library's property (dev.fvec.simd.VectorWarmUp): {@code off} keeps the twin serving. */
    static final String PROPERTY = "fvec.simd.warmup";

    /** Jobs of fewer terms (descriptors x K x D) than this run without the warm-up: 6 x 2^33. */
    static final long WARM_UP_PAYS = 6L << 33;

    private WarmUpPolicy() {
    }

    /** Sets the warm-up off for a job of these files against a K x D model, when it cannot pay. */
    static void forJob(List<Inputs.Shape> files, int k, int d, Context ctx) {
        if (!Main.ownProcess() || System.getProperty(PROPERTY) != null) {
            return;
        }
        long terms = terms(files, k, d);
        if (terms < WARM_UP_PAYS) {
            System.setProperty(PROPERTY, "off");
            ctx.debug("fvec encode: " + Format.count(terms) + " terms of work (descriptors x K x D), fewer than the SIMD"
                    + " warm-up needs to pay back (" + Format.count(WARM_UP_PAYS) + "): the scalar twin serves throughout"
                    + " (bitwise the same results)");
        }
    }

    /** Descriptors x K x D over the files, saturating. */
    static long terms(List<Inputs.Shape> files, int k, int d) {
        long rows = 0;
        for (Inputs.Shape s : files) {
            rows += s.rows;
        }
        long perRow = (long) k * d;
        return rows > Long.MAX_VALUE / Math.max(1, perRow) ? Long.MAX_VALUE : rows * perRow;
    }
}
