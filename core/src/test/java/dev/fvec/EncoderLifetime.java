package dev.fvec;

import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.KernelProvider;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The "encoder per request" service pattern, run in a child JVM with a small heap: builds
 * {@code encoders} encoders (K = 256, D = 64), each used for one request on a fixed pool of 8
 * threads or on virtual threads, then prints the heap still used after GC (with the pool's
 * threads still alive, as in a running service). An encoder that stays reachable from a
 * pool thread once dropped makes this run out of memory.
 */
public final class EncoderLifetime {

    static final int K = 256;
    static final int D = 64;
    static final int N = 8;
    static final String USED = "used heap after gc: ";

    private EncoderLifetime() {
    }

    /** Arguments: {@code pool|virtual}, the kernel name, the number of encoders. */
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // Exit at once: with an OutOfMemoryError the pool's threads may not stop on their own.
            System.out.println("failed: " + e);
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        String mode = args[0];
        KernelProvider provider = Kernels.byName(args[1]);
        int encoders = Integer.parseInt(args[2]);
        float[] x = SyntheticDescriptors.generate(3, 64 * K, D, 32);
        DiagonalGmm model = TestModels.fromData(x, 64 * K, D, K, 4, 0.5);
        float[] expected = FisherEncoder.builder(model).kernel(provider).build().encode(x, N);
        ExecutorService pool = mode.equals("pool") ? Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        }) : virtualThreadPerTask();
        List<Future<?>> batch = new ArrayList<>();
        for (int e = 0; e < encoders; e++) {
            batch.add(pool.submit(() -> {
                float[] got = FisherEncoder.builder(model).kernel(provider).build().encode(x, N);
                if (!Arrays.equals(expected, got)) {
                    throw new AssertionError("an encoder gave another vector");
                }
            }));
            if (batch.size() == 64) {
                for (Future<?> f : batch) {
                    f.get();
                }
                batch.clear();
            }
        }
        for (Future<?> f : batch) {
            f.get();
        }
        batch.clear();
        System.out.println(USED + usedHeapAfterGc());
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
    }

    static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21;
    }

    static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /**
     * Bytes of live objects: the total of the live-object class histogram (taken after a full
     * collection by the JVM itself), or {@link #usedHeapAfterGc()} when the diagnostic command is
     * not available. {@code totalMemory - freeMemory} after {@code System.gc()} is not a measure
     * of what is retained: on Temurin 25 it once read 182 MB above its earlier value in a run whose
     * histogram held 6 MB in all, which failed the shared-encoder test for a leak it did not have.
     */
    static long liveBytes() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
            String[] rows = String.valueOf(out).trim().split("\n");
            String[] total = rows[rows.length - 1].trim().split("\\s+");
            if (total.length == 3 && total[0].equals("Total")) {
                return Long.parseLong(total[2]);
            }
        } catch (Exception | LinkageError e) {
            // fall through to the coarser reading
        }
        return usedHeapAfterGc();
    }

    /**
     * The first {@code lines} rows of the live-object class histogram (the JVM's
     * {@code GC.class_histogram} diagnostic command), or why it is not available.
     */
    static String classHistogram(int lines) {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
            String[] rows = String.valueOf(out).split("\n");
            return String.join("\n", Arrays.copyOf(rows, Math.min(rows.length, lines + 2)));
        } catch (Exception | LinkageError e) {
            return "(no class histogram: " + e + ")";
        }
    }

    /**
     * Runs {@link #main} in a child JVM with {@code -Xmx256m} and returns the used heap it
     * reports; fails with the child's output when it does not finish cleanly.
     */
    static long runChild(String mode, KernelProvider provider, int encoders) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-Xmx256m");
        if (provider.name().equals("simd")) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Dfvec.simd.bits=")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(EncoderLifetime.class.getName());
        cmd.add(mode);
        cmd.add(provider.name());
        cmd.add(Integer.toString(encoders));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish: " + out);
        }
        int exit = p.exitValue();
        int at = out.indexOf(USED);
        if (exit != 0 || at < 0) {
            throw new AssertionError(encoders + " encoders on " + mode + " threads (" + provider.name()
                    + ", -Xmx256m): exit " + exit + ", output:\n" + out);
        }
        return Long.parseLong(out.substring(at + USED.length()).trim().split("\\s+")[0]);
    }
}
