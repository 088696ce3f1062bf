package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import java.util.Arrays;

/**
 * Why one shape's encode times are bimodal: the same input encoded again and again on the SIMD
 * kernel, each call timed, and the calls' mean time by the phase of their start within a period
 * ({@code 1 ms} unless given). A cost that recurs with that period outside the process (on the
 * machines of sessions 28-29, about 25 us once a millisecond: the VM's timer tick, by its period)
 * shows as a band of phases whose calls are slower, the calls that contain it; with any other
 * period the means are flat. Not API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.CallPhase 128x64x2000 vlfeat-improved-t1e-6 8
 * java ... dev.fvec.bench.CallPhase 128x64x2000 vlfeat-improved-t1e-6 8 999000   # a period that is not the tick's: flat
 * </pre>
 */
public final class CallPhase {

    private static final int BINS = 20;
    private static final int MAX_CALLS = 200_000;

    private CallPhase() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: CallPhase SHAPE VARIANT SECONDS [PERIOD_NS]");
            System.exit(2);
        }
        Inputs in = Inputs.of(args[0]);
        Variant variant = Variant.parse(args[1]);
        long seconds = Long.parseLong(args[2]);
        long period = args.length > 3 ? Long.parseLong(args[3]) : 1_000_000L;
        if (seconds <= 0 || period <= 0) {
            throw new IllegalArgumentException("SECONDS and PERIOD_NS must be positive: " + seconds + ", " + period);
        }
        FisherEncoder encoder = Encoders.build(in, variant, "simd");
        Encoders.checkOnce(in, variant, encoder);
        float[] out = new float[encoder.length()];
        long warmEnd = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < warmEnd) {
            encoder.encode(in.x, 0, in.n, out, 0);
        }
        long[] start = new long[MAX_CALLS];
        long[] time = new long[MAX_CALLS];
        int n = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (n < MAX_CALLS && System.nanoTime() < end) {
            long t0 = System.nanoTime();
            encoder.encode(in.x, 0, in.n, out, 0);
            time[n] = System.nanoTime() - t0;
            start[n++] = t0;
        }
        long[] sorted = Arrays.copyOf(time, n);
        Arrays.sort(sorted);
        double[] sum = new double[BINS];
        int[] count = new int[BINS];
        for (int i = 0; i < n; i++) {
            int bin = (int) (Math.floorMod(start[i], period) * BINS / period);
            sum[bin] += time[i];
            count[bin]++;
        }
        System.out.printf("%s %s: %d calls, min %.1f, median %.1f, mean %.1f us%n", args[0], args[1], n, sorted[0] / 1e3,
                sorted[n / 2] / 1e3, Arrays.stream(sorted).average().orElse(0) / 1e3);
        StringBuilder phases = new StringBuilder("mean us by start phase (" + BINS + " bins of a " + period + " ns period):");
        for (int b = 0; b < BINS; b++) {
            phases.append(count[b] == 0 ? " -" : String.format(" %.1f", sum[b] / count[b] / 1e3));
        }
        System.out.println(phases);
    }
}
