package dev.fvec.bench;

import java.util.Arrays;

/**
 * One fvec SIMD encode variant and native VLFeat's {@code vl_fisher_encode} timed side by side, as
 * issue 13 measured them when it was filed: blocks of {@value #CALLS} calls of each side
 * alternate, so that a change in the machine's speed (on a shared VM, VLFeat's JMH time moved by
 * up to 45% between runs) hits both alike; each side's time per call is the minimum over its
 * blocks (the median is printed too), and the ratio is that of the minima. fvec's {@code t = 0}
 * (exact) is compared with VLFeat's {@code t = 1e-6}, VLFeat having no exact mode; hard with hard.
 * One variant and shape per JVM, so that the JIT compiles fvec for that variant alone, as in a JMH
 * fork. Inputs, set-up and the one-off output checks are {@link EncodeBench}'s and
 * {@link VlfeatBench}'s (the simd kernel warmed with {@code warmUp()}; VLFeat's output against
 * fvec's scalar form; one VLFeat thread). Prints one line: shape, fvec variant, its minimum and
 * median in ms, VLFeat's variant, its minimum and median, the ratio. {@code bench/paired.sh} runs
 * the headline shapes and variants and writes a table. Not API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp bench/target/benchmarks.jar dev.fvec.bench.VlfeatPairedTiming 30 vlfeat-improved-t1e-6 64x256x1000
 * </pre>
 */
public final class VlfeatPairedTiming {

    /** Calls per timed block, as at the filing. */
    static final int CALLS = 20;

    private VlfeatPairedTiming() {
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: VlfeatPairedTiming ROUNDS VARIANT SHAPE, e.g. 30 vlfeat-improved-t1e-6 64x256x1000");
        }
        int rounds = Integer.parseInt(args[0]);
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, not " + rounds);
        }
        String variant = args[1];
        String shape = args[2];
        if (!variant.startsWith("vlfeat-improved-")) {
            throw new IllegalArgumentException("variant '" + variant + "': VLFeat's side is its improved form, so fvec's must be"
                    + " vlfeat-improved-t1e-6, vlfeat-improved-t0 or vlfeat-improved-hard");
        }
        // VLFeat has no exact mode: fvec's t = 0 is compared with its default, t = 1e-6.
        String theirs = variant.endsWith("-hard") ? "vlfeat-improved-hard" : "vlfeat-improved-t1e-6";
        Side[] sides = {fvec(shape, variant, rounds), vlfeat(shape, theirs, rounds)};
        for (Side s : sides) { // warm: the JIT for fvec, caches and page faults for both
            long end = System.nanoTime() + 1_000_000_000L;
            while (System.nanoTime() < end) {
                s.block();
            }
        }
        for (int r = 0; r < rounds; r++) {
            // The order alternates, so neither side always follows the other.
            sides[r % 2].time(r);
            sides[1 - r % 2].time(r);
        }
        double[] min = new double[2];
        double[] median = new double[2];
        for (int i = 0; i < 2; i++) {
            double[] t = sides[i].perCall.clone();
            Arrays.sort(t);
            min[i] = t[0];
            median[i] = t[rounds / 2];
        }
        // shape, fvec variant, fvec min and median, VLFeat variant, VLFeat min and median (ms), ratio of minima.
        System.out.printf(java.util.Locale.ROOT, "%s %s %.4f %.4f %s %.4f %.4f %.2f%n", shape, variant, min[0] / 1e6,
                median[0] / 1e6, theirs, min[1] / 1e6, median[1] / 1e6, min[1] / min[0]);
    }

    private static Side fvec(String shape, String variant, int rounds) {
        EncodeBench b = new EncodeBench();
        b.shape = shape;
        b.variant = variant;
        b.kernel = "simd";
        b.setup();
        return new Side(() -> b.encode()[0], rounds);
    }

    private static Side vlfeat(String shape, String variant, int rounds) {
        VlfeatBench b = new VlfeatBench();
        b.shape = shape;
        b.variant = variant;
        b.setup();
        return new Side(b::encode, rounds);
    }

    /** One side: a call, and its per-call time of each round's block. */
    private static final class Side {
        final Call call;
        final double[] perCall;
        double sink;

        Side(Call call, int rounds) {
            this.call = call;
            this.perCall = new double[rounds];
        }

        void block() {
            for (int i = 0; i < CALLS; i++) {
                sink += call.run();
            }
        }

        void time(int round) {
            long t0 = System.nanoTime();
            block();
            perCall[round] = (System.nanoTime() - t0) / (double) CALLS;
        }
    }

    @FunctionalInterface
    private interface Call {
        double run();
    }
}
