package dev.fvec.bench;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Kernels;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The first calls of a service, for the end-to-end benchmark ({@code bench/e2e/run.sh}): in one
 * fresh JVM, {@link Kernels#warmUp()} as a service would call it before taking traffic, then
 * {@value #FIRST} timed encodes of one descriptor file (the improved {@code VLFEAT} form, as
 * {@code fvec encode --improved}), then {@value #MORE} more, of which the last {@value #STEADY} give the
 * steady-state median.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.E2eFirstCalls MODEL.npz X.npy [--build-first]
 * </pre>
 *
 * Prints one line, tab-separated, all times in milliseconds: warm-up wall time, the process CPU time
 * the warm-up used (every thread, the JIT's included), the first call (it also makes the encoder's
 * first scratch space: the kernel, its packed model), the p99 of the first {@value #FIRST} calls,
 * the steady-state median; the kernel's name; then, for reading the others, the second call and the
 * p99 of the steady-state calls (on a busy machine the first calls' p99 is mostly the scheduler's:
 * compare it with this one), the first call's CPU time (this thread's: the call's own work,
 * without the time other processes had the core), and which code served after the warm-up:
 * {@code lanes} (the compiled vector lanes), {@code twin} (the warm-up gave up, the scalar twin
 * serves) or {@code unknown} (the SIMD module's state could not be read).
 */
public final class E2eFirstCalls {

    static final int FIRST = 100;
    static final int MORE = 500;
    static final int STEADY = 300;

    private E2eFirstCalls() {
    }

    public static void main(String[] args) throws IOException {
        boolean buildFirst = args.length == 3 && args[2].equals("--build-first");
        if (args.length != 2 && !buildFirst) {
            System.err.println("usage: E2eFirstCalls MODEL.npz X.npy [--build-first]");
            System.exit(2);
        }
        DiagonalGmm model = Npz.readModel(Path.of(args[0]));
        NpyArray x = Npy.read(Path.of(args[1]));

        // --build-first: the encoder built before the warm-up, which then also warms the code paths
        // its model takes (Kernels#warmUp), as the README's example does.
        FisherEncoder encoder = buildFirst ? encoder(model) : null;
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Kernels.warmUp();
        long warmWall = System.nanoTime() - t0;
        long warmCpu = processCpuNanos() - cpu0;
        Boolean warmLanes = lanesWarm();

        if (encoder == null) {
            encoder = encoder(model);
        }
        float[] out = new float[encoder.length()];
        double[] ms = new double[FIRST + MORE];
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long firstCpu = -threads.getCurrentThreadCpuTime();
        for (int i = 0; i < ms.length; i++) {
            long s = System.nanoTime();
            encoder.encode(x.data(), 0, x.rows(), out, 0);
            ms[i] = (System.nanoTime() - s) / 1e6;
            if (i == 0) {
                firstCpu += threads.getCurrentThreadCpuTime();
            }
        }
        double[] first = Arrays.copyOf(ms, FIRST);
        Arrays.sort(first);
        double[] steady = Arrays.copyOfRange(ms, ms.length - STEADY, ms.length);
        Arrays.sort(steady);
        System.out.printf(Locale.ROOT, "%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%.3f\t%.3f\t%.3f\t%s%n", warmWall / 1e6, warmCpu / 1e6,
                ms[0], first[(int) Math.ceil(0.99 * FIRST) - 1], (steady[STEADY / 2 - 1] + steady[STEADY / 2]) / 2,
                encoder.implementationName(), ms[1], steady[(int) Math.ceil(0.99 * STEADY) - 1], firstCpu / 1e6, served(warmLanes));
    }

    private static FisherEncoder encoder(DiagonalGmm model) {
        return FisherEncoder.builder(model).form(FisherForm.VLFEAT).improved().build();
    }

    /**
     * Whether the SIMD kernel's vector lanes were warm right after the warm-up (its package-private
     * state, read by reflection: the bench jar puts every module on the class path), or null. The
     * encoder's name says "simd" either way; a warm-up that gave up on a slow machine showed only
     * as first calls 10x the steady state.
     */
    private static Boolean lanesWarm() {
        try {
            java.lang.reflect.Method m = Class.forName("dev.fvec.simd.VectorWarmUp").getDeclaredMethod("isWarm");
            m.setAccessible(true);
            return (Boolean) m.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static String served(Boolean warm) {
        return warm == null ? "unknown" : warm ? "lanes" : "twin";
    }

    /** CPU time of the whole process (every thread), or -1e6 ns when the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1_000_000;
    }
}
