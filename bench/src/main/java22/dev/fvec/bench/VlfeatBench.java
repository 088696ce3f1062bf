package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Native VLFeat 0.9.21's {@code vl_fisher_encode} on one thread ({@code vl_set_num_threads(1)}),
 * called through {@code java.lang.foreign} (JDK 22+; this class is absent from jars built on
 * JDK 17). Same warm-up, measurement and time unit as {@link EncodeBench}, and the same
 * {@code shape} and {@code variant} give the same input bit for bit, so the two are compared
 * directly.
 *
 * <p>Model and descriptors are copied once, in {@code @Setup}, into native memory: the timed call is
 * the C function alone (plus a downcall, ~10 ns), including the buffers VLFeat allocates and frees
 * on every call. fvec's timing includes its input validation; VLFeat validates nothing.
 *
 * <p>{@code @Setup} checks VLFeat's output against fvec's scalar VLFEAT form on the same input, and
 * fails (skipping the benchmark, with the {@code apt-get install libvlfeat1} hint) when the library
 * cannot be loaded. Only variants VLFeat can compute exist here: form {@code vlfeat}, sparsity
 * {@code t1e-6} (VLFeat's fixed threshold) or {@code hard} ({@code VL_FISHER_FLAG_FAST}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Thread)
public class VlfeatBench extends JmhDefaults {

    /**
     * VLFeat's raw vector (no square root, no L2) against fvec's double-precision scalar reference.
     * VLFeat works in float: posteriors via {@code expf} of float log-likelihoods summed over D
     * terms, and u, v summed over N descriptors in float. Measured on the four synthetic shapes and
     * the three golden cases, t1e-6 and hard: the worst {@code |diff| / max|expected|} is 1.6e-5
     * (golden b), and both libraries keep exactly the same number of terms. 1e-3 relative with an
     * absolute floor of 1e-4 x max|expected| keeps a 6x margin, while a wrong layout, a transposed
     * model or a wrong sparsity misses by orders of magnitude. After the square root the bound is
     * widened by {@link Check#afterSquareRoot} (measured worst 6.8e-4 x max against 1e-2), and the
     * raw check has already pinned the arithmetic.
     */
    static final double[] VS_VLFEAT = {1e-3, 1e-4};

    @Param({"64x256x1000", "128x64x2000", "64x1024x1000", "5x3x7"})
    public String shape;

    @Param({"vlfeat-improved-t1e-6", "vlfeat-none-t1e-6", "vlfeat-improved-hard"})
    public String variant;

    private VlFeat vl;
    private Arena arena;
    private MemorySegment enc;
    private MemorySegment means;
    private MemorySegment covariances;
    private MemorySegment priors;
    private MemorySegment data;
    private long d;
    private long k;
    private long n;
    private int flags;

    @Setup(Level.Trial)
    public void setup() {
        Variant v = Variant.parse(variant);
        flags = v.vlfeatFlags(); // throws for variants VLFeat cannot compute
        vl = VlFeat.load();
        Inputs in = Inputs.of(shape);
        d = in.d;
        k = in.k;
        n = in.n;
        arena = Arena.ofShared();
        means = copy(in.model.means());
        covariances = copy(in.model.variances());
        priors = copy(in.model.weights());
        data = in.n == 0 ? arena.allocate(4, 4) : copy(java.util.Arrays.copyOf(in.x, in.n * in.d));
        enc = arena.allocate(ValueLayout.JAVA_FLOAT, 2L * in.k * in.d);
        singleThreaded();

        // Check once, first the raw vector (no square root, no L2), then the timed variant's.
        FisherEncoder fvecRaw = Encoders.build(in, v.raw(), "scalar");
        int rawFlags = v.raw().vlfeatFlags();
        int timedFlags = flags;
        flags = rawFlags;
        long terms = encode();
        Check.close(fvecRaw.encode(in.x, in.n), enc.toArray(ValueLayout.JAVA_FLOAT), VS_VLFEAT,
                "VLFeat " + v.raw() + " on " + in + " vs fvec's scalar VLFEAT form");
        flags = timedFlags;
        if (encode() != terms) {
            throw new IllegalStateException("VLFeat kept a different number of terms with flags " + timedFlags
                    + " than with " + rawFlags);
        }
        float[] got = enc.toArray(ValueLayout.JAVA_FLOAT);
        FisherEncoder fvec = Encoders.build(in, v, "scalar");
        if (fvec.form() != FisherForm.VLFEAT) {
            throw new IllegalStateException(v + " is not the VLFEAT form");
        }
        String what = "VLFeat " + v + " on " + in;
        Check.sane(got, v.l2() && in.n > 0, what);
        Check.close(fvec.encode(in.x, in.n), got, v.squareRoot() ? Check.afterSquareRoot(VS_VLFEAT) : VS_VLFEAT,
                what + " vs fvec's scalar VLFEAT form");
        if (terms <= 0 && in.n > 0) {
            throw new IllegalStateException(what + ": vl_fisher_encode kept " + terms + " terms");
        }
    }

    /**
     * Every JMH worker thread pins VLFeat's OpenMP to one thread for itself (the setting is per
     * thread), and checks that it took.
     */
    @Setup(Level.Iteration)
    public void singleThreaded() {
        vl.setNumThreads(1);
        long t = vl.maxThreads();
        if (t != 1) {
            throw new IllegalStateException("vl_set_num_threads(1) left vl_get_max_threads() = " + t);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public long encode() {
        return vl.fisherEncode(enc, means, d, k, covariances, priors, data, n, flags);
    }

    private MemorySegment copy(float[] a) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, a.length);
        MemorySegment.copy(a, 0, s, ValueLayout.JAVA_FLOAT, 0, a.length);
        return s;
    }
}
