package dev.fvec.bench;

import dev.fvec.FisherEncoder;
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
 * Latency of one {@code encode(x, 0, N, out, 0)}: N descriptors in, one Fisher vector out, on one
 * thread. This is the number to compare with {@code VlfeatBench} (same {@code shape} and
 * {@code variant} give the same input bit for bit).
 *
 * <p>The twins differ only in {@code kernel}: {@code scalar} (the reference transcription of
 * SPEC.md) and {@code simd} (the Vector API kernel); the body is one line. {@code @Setup} builds the
 * encoder on exactly that kernel (no silent fallback) and checks its answer once (see
 * {@link Encoders#checkOnce}).
 *
 * <p>The encoder's per-thread scratch space is created by that check, so the timed calls are the
 * allocation-free path: {@code -prof gc} should report ~0 B/op.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar EncodeBench -p shape=64x256x1000 -p variant=vlfeat-improved-t1e-6 -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class EncodeBench extends JmhDefaults {

    /** {@code DxKxN} (synthetic) or {@code golden:<case>}; see {@link Inputs}. */
    @Param({"64x256x1000", "128x64x2000", "64x1024x1000", "5x3x7"})
    public String shape;

    /** {@code <form>-<normalisation>-<sparsity>}; see {@link Variant}. */
    @Param({"vlfeat-improved-t1e-6", "vlfeat-none-t1e-6", "vlfeat-improved-hard", "gist-none-t0", "skimage-improved-t0"})
    public String variant;

    @Param({"scalar", "simd"})
    public String kernel;

    // Non-final fields, so the JIT cannot treat the input as a constant.
    private float[] x;
    private int n;
    private float[] out;
    private FisherEncoder encoder;

    @Setup
    public void setup() {
        Inputs in = Inputs.of(shape);
        Variant v = Variant.parse(variant);
        encoder = Encoders.build(in, v, kernel);
        Encoders.checkOnce(in, v, encoder);
        x = in.x;
        n = in.n;
        out = new float[encoder.length()];
    }

    @Benchmark
    public float[] encode() {
        encoder.encode(x, 0, n, out, 0);
        return out;
    }
}
