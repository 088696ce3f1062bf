package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One encoder shared by every calling thread, as a service would hold it, over {@link #IMAGES}
 * distinct descriptor sets (so that two callers do not encode the very same array in lock step).
 * Used by {@link BatchBench} and {@link TailLatencyBench}.
 */
@State(Scope.Benchmark)
public class SharedEncoder {

    /** Distinct descriptor sets each caller cycles through. */
    public static final int IMAGES = 8;

    /** {@code DxKxN}; see {@link Inputs}. */
    @Param({"64x256x1000"})
    public String shape;

    @Param({"vlfeat-improved-t1e-6"})
    public String variant;

    @Param({"scalar", "simd"})
    public String kernel;

    final java.util.concurrent.atomic.AtomicInteger callers = new java.util.concurrent.atomic.AtomicInteger();
    float[] x;
    int n;
    int stride;
    FisherEncoder encoder;

    @Setup
    public void setup() {
        Inputs in = Inputs.of(shape, IMAGES);
        Variant v = Variant.parse(variant);
        encoder = Encoders.build(in, v, kernel);
        Encoders.checkOnce(in, v, encoder);
        x = in.x;
        n = in.n;
        stride = in.n * in.d;
    }
}
