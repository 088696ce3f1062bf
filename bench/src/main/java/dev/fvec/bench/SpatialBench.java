package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Kernels;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import java.util.SplittableRandom;
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
 * The cost of the spatial layout (issue 15) against one plain encode, in the same run: the same
 * {@code shape} and threshold, VLFEAT improved, with seeded uniform positions in a 640 x 480 image.
 * {@code layout}: {@code plain} (a {@link FisherEncoder}, the baseline), a pyramid such as
 * {@code 1x1,2x2,3x1}, {@code spatial} (the spatial Fisher vector, {@code 1x1} plus {@code 4K}), or
 * {@code 1x1,2x2,3x1+spatial} (both). Targets: the pyramid at most 1.5x, the spatial vector at most
 * 1.1x the plain encode (VLFeat's apps encode each of the 8 regions again: ~8x).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar SpatialBench -p threshold=1e-6,0
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class SpatialBench extends JmhDefaults {

    @Param({"64x256x1000"})
    public String shape;

    @Param({"plain", "1x1,2x2,3x1", "spatial", "1x1,2x2,3x1+spatial"})
    public String layout;

    /** Posterior threshold: {@code 1e-6} (VLFeat's) or {@code 0} (every term kept). */
    @Param({"1e-6", "0"})
    public String threshold;

    @Param({"simd"})
    public String kernel;

    static final int WIDTH = 640;
    static final int HEIGHT = 480;

    private float[] x;
    private float[] positions;
    private int n;
    private float[] out;
    private FisherEncoder plain;
    private SpatialEncoder spatialEncoder;

    @Setup
    public void setup() {
        Inputs in = Inputs.of(shape);
        KernelProvider kp = Kernels.byName(kernel); // throws when that kernel cannot run here
        kp.warmUp(); // as Encoders.build: otherwise the first calls run on the simd kernel's scalar twin
        plain = FisherEncoder.builder(in.model).form(FisherForm.VLFEAT).improved()
                .sparsity(Sparsity.threshold(Double.parseDouble(threshold))).kernel(kp).build();
        x = in.x;
        n = in.n;
        positions = new float[2 * n];
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < n; i++) {
            positions[2 * i] = (float) (r.nextDouble() * WIDTH);
            positions[2 * i + 1] = (float) (r.nextDouble() * HEIGHT);
        }
        if (layout.equals("plain")) {
            out = new float[plain.length()];
            plain.encode(x, 0, n, out, 0);
            return;
        }
        boolean spatial = layout.endsWith("spatial");
        String grids = layout.equals("spatial") ? "1x1" : layout.replace("+spatial", "");
        spatialEncoder = SpatialEncoder.builder(plain).pyramid(grids)
                .spatial(spatial ? SpatialModel.uniform(in.model.components()) : null).build();
        out = new float[spatialEncoder.length()];
        spatialEncoder.encode(x, 0, positions, 0, n, WIDTH, HEIGHT, out, 0); // makes the pooled scratch space
    }

    @Benchmark
    public float[] encode() {
        if (spatialEncoder == null) {
            plain.encode(x, 0, n, out, 0);
        } else {
            spatialEncoder.encode(x, 0, positions, 0, n, WIDTH, HEIGHT, out, 0);
        }
        return out;
    }
}
