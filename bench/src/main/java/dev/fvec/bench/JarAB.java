package dev.fvec.bench;

import dev.fvec.Kernels;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Builds of fvec side by side in one JVM, to compare a change with its base: each
 * {@code benchmarks.jar} in a class loader of its own (so each has its own classes, JIT code and
 * warm-up), timed in blocks of {@value #CALLS} calls that alternate between the builds, round after
 * round; each build's time is the minimum over its blocks after the first fifth (the median is
 * printed too). On the shared VMs this project is measured on, consecutive JMH runs of one jar
 * moved by up to 30%, more than most changes to compare; alternating blocks in one process put
 * the drift on both sides alike. Not API.
 *
 * <p>Workloads: {@code encode}, {@link EncodeBench} (shape, variant, simd kernel; microseconds per
 * encode); {@code estep}, {@link EStepBench} (its {@code dk}, 1024 descriptors per call;
 * nanoseconds per descriptor); each with its own set-up and one-off answer check. A jar without
 * this class (a build from before it) gets it from the jar this runs from, linked against the
 * older jar's benchmarks, which must have the fields and methods used here.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.JarAB \
 *     100 encode 64x256x1000 vlfeat-improved-t1e-6 /tmp/base.jar bench/target/benchmarks.jar
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.JarAB \
 *     100 estep 64x256 - /tmp/base.jar bench/target/benchmarks.jar
 * </pre>
 */
public final class JarAB {

    /** Calls per timed block. */
    static final int CALLS = 20;

    private JarAB() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            throw new IllegalArgumentException("usage: JarAB ROUNDS encode|estep SHAPE VARIANT JAR [JAR ...], e.g."
                    + " 100 encode 64x256x1000 vlfeat-improved-t1e-6 base.jar new.jar (estep: SHAPE is DxK, VARIANT -)");
        }
        int rounds = Integer.parseInt(args[0]);
        if (rounds < 5) {
            throw new IllegalArgumentException("rounds must be >= 5 (the first fifth is warm-up), not " + rounds);
        }
        String worker = switch (args[1]) {
            case "encode" -> EncodeWorker.class.getName();
            case "estep" -> EStepWorker.class.getName();
            default -> throw new IllegalArgumentException("workload '" + args[1] + "': encode or estep");
        };
        int jars = args.length - 4;
        URL harness = JarAB.class.getProtectionDomain().getCodeSource().getLocation();
        Object[] workers = new Object[jars];
        Method[] run = new Method[jars];
        for (int j = 0; j < jars; j++) {
            Path jar = Path.of(args[4 + j]);
            if (!jar.toFile().isFile()) {
                throw new IllegalArgumentException("no jar at " + jar);
            }
            // The platform loader as parent: every dev.fvec class comes from this jar (or, for the
            // workers alone, from the harness), none from the application class path.
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL(), harness},
                    ClassLoader.getPlatformClassLoader());
            Class<?> c = loader.loadClass(worker);
            workers[j] = c.getConstructor(String.class, String.class).newInstance(args[2], args[3]);
            run[j] = c.getMethod("block");
        }
        double[][] times = new double[jars][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < jars; j++) {
                // The order rotates, so no build always follows the same other.
                int k = (j + r) % jars;
                times[k][r] = (double) run[k].invoke(workers[k]);
            }
        }
        StringBuilder line = new StringBuilder(args[1] + " " + args[2] + " " + args[3]);
        double first = 0;
        for (int j = 0; j < jars; j++) {
            double[] t = Arrays.copyOfRange(times[j], rounds / 5, rounds);
            Arrays.sort(t);
            if (j == 0) {
                first = t[0];
            }
            line.append(String.format("  %s min %.1f med %.1f (%.3f)", Path.of(args[4 + j]).getFileName(), t[0],
                    t[t.length / 2], t[0] / first));
        }
        System.out.println(line);
    }

    /**
     * {@link EncodeBench} itself (its set-up, with the warm-up and the one-off answer check, and its
     * encode); {@link #block} returns microseconds per encode.
     */
    public static final class EncodeWorker {
        private final EncodeBench bench = new EncodeBench();
        private float sink;

        public EncodeWorker(String shape, String variant) {
            bench.shape = shape;
            bench.variant = variant;
            bench.kernel = "simd";
            bench.setup();
        }

        public double block() {
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLS; c++) {
                sink += bench.encode()[0];
            }
            return (System.nanoTime() - t0) / (CALLS * 1e3);
        }

        @Override
        public String toString() {
            return "encode " + bench.shape + " " + sink; // keeps the outputs live
        }
    }

    /**
     * {@link EStepBench} itself on {@code DxK}; {@link #block} returns nanoseconds per descriptor.
     * The warm-up first: builds from before EStepBench called it would time the scalar twin.
     */
    public static final class EStepWorker {
        private final EStepBench bench = new EStepBench();

        public EStepWorker(String dk, String ignored) {
            Kernels.warmUp();
            bench.dk = dk;
            bench.kernel = "simd";
            bench.setup();
        }

        public double block() {
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLS; c++) {
                bench.estep();
            }
            return (System.nanoTime() - t0) / ((double) CALLS * EStepBench.BLOCK);
        }
    }
}
