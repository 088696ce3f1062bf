package dev.fvec.bench;

import dev.fvec.simd.KernelProbe;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The SIMD kernel's log-likelihood pass alone, unpruned: every (descriptor, component, dimension)
 * term of {@code N} descriptors, nothing else (no exp, no statistics). Score: nanoseconds per lane
 * call ({@code N x Kpad x D} terms, {@code Kpad} = K rounded up to the lane count); with {@code F}
 * FMA-unit operations per term (2 in both the direct and the 2-FMA form), its share of the FMA
 * peak is {@code F * N * Kpad * D * FmaPeakBench.score / (1000 * score)}. Same {@code bits} as {@link FmaPeakBench} to compare in one
 * run; {@code Report} prints the share.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'FmaPeakBench|LogLikelihoodBench' -p shape=64x256x1000 -p bits=preferred,256
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class LogLikelihoodBench extends JmhDefaults {

    @Param({"64x256x1000", "128x64x2000", "64x1024x1000"})
    public String shape;

    /** {@code vector}: the Vector API lanes; {@code twin}: the scalar twin that serves cold calls. */
    @Param({"vector"})
    public String lanes;

    /** As {@link FmaPeakBench#bits}. */
    @Param({"preferred"})
    public String bits;

    private float[] x;
    private int n;
    private KernelProbe probe;

    @Setup
    public void setup() {
        FmaPeakBench.setWidth(bits);
        Inputs in = Inputs.of(shape);
        probe = new KernelProbe(in.model, lanes);
        x = in.x;
        n = in.n; // a multiple of the block (4 or 8) for the shapes used
    }

    /** One pass over N descriptors: {@code N * Kpad * D} terms (Kpad: K rounded up to the lane count). */
    @Benchmark
    public float pass() {
        return probe.logLikelihoods(x, n);
    }
}
