package dev.fvec.bench;

import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import dev.fvec.train.GmmTrainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The EM E-step's cost per descriptor: {@code StatisticsKernel.accumulate} over a block of
 * {@value #BLOCK} descriptors with {@link GmmTrainer}'s E-step threshold (SPEC.md, "EM training"),
 * reported per descriptor ({@code @OperationsPerInvocation}). Posteriors, log-likelihood and
 * {@code S0, S1, S2}: everything an EM iteration needs except the O(KD) M-step.
 *
 * <p>{@code dk} is {@code DxK}; the descriptors and model are those of {@link Inputs} for
 * {@code DxKx}{@value #BLOCK}.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EStepBench -p dk=64x256
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class EStepBench extends JmhDefaults {

    /** Descriptors per call; the unit the score is divided by. */
    public static final int BLOCK = 1024;
    /** The trainer's E-step threshold, far below float resolution: in effect no sparsification. */
    public static final double THRESHOLD = GmmTrainer.E_STEP_THRESHOLD;

    @Param({"64x256", "128x64", "64x1024", "5x3"})
    public String dk;

    @Param({"scalar", "simd"})
    public String kernel;

    private float[] x;
    private StatisticsKernel statisticsKernel;
    private GmmStatistics stats;

    @Setup
    public void setup() {
        Inputs in = Inputs.of(dk + "x" + BLOCK);
        Sparsity sparsity = Sparsity.threshold(THRESHOLD);
        KernelProvider provider = Kernels.byName(kernel);
        // The documented warm-up, as Encoders does for the encode benchmarks: without it the simd
        // kernel serves its first calls on its scalar twin and starts compiling the vector lanes
        // only after ~2^33 terms of twin work, so this benchmark timed the twin (2.6 us/descriptor
        // at 64x256 in the full run at 95c4d5a) instead of the E-step's steady state.
        provider.warmUp();
        statisticsKernel = provider.create(in.model, sparsity);
        stats = GmmStatistics.forModel(in.model);
        x = in.x;
        // Check once: the same statistics as the scalar reference, and posteriors summing to N.
        statisticsKernel.accumulate(x, 0, BLOCK, stats);
        GmmStatistics ref = GmmStatistics.forModel(in.model);
        Kernels.scalar().create(in.model, sparsity).accumulate(x, 0, BLOCK, ref);
        String what = kernel + " E-step on " + in;
        Check.close(toFloat(ref.s0()), toFloat(stats.s0()), Check.FLOAT_KERNEL, what + ": S0 vs scalar");
        Check.close(toFloat(ref.s1()), toFloat(stats.s1()), Check.FLOAT_KERNEL, what + ": S1 vs scalar");
        Check.close(toFloat(ref.s2()), toFloat(stats.s2()), Check.FLOAT_KERNEL, what + ": S2 vs scalar");
        double llDiff = Math.abs(stats.logLikelihood() - ref.logLikelihood());
        if (!(llDiff <= 1e-5 * Math.abs(ref.logLikelihood()))) {
            throw new IllegalStateException(what + ": log-likelihood " + stats.logLikelihood() + ", scalar "
                    + ref.logLikelihood());
        }
        double s0 = 0;
        for (double v : stats.s0()) {
            s0 += v;
        }
        if (stats.count() != BLOCK || Math.abs(s0 - BLOCK) > 1e-3) {
            throw new IllegalStateException(what + ": N = " + stats.count() + ", sum S0 = " + s0 + ", expected "
                    + BLOCK + " for both");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BLOCK)
    public GmmStatistics estep() {
        stats.reset();
        statisticsKernel.accumulate(x, 0, BLOCK, stats);
        return stats;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
