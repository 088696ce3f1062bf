package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsKernel;

/**
 * What fvec's own benchmarks and probes (module {@code bench}: {@code LogLikelihoodBench},
 * {@code PruneAB}, {@code PcaPairedTiming}) measure inside this package: the log-likelihood pass
 * alone, kernels with pruning forced on or off, the warm-up state. Not API: the module does not export this package, so only class-path users can see it,
 * and it changes with the kernel.
 *
 * <p>An instance owns scratch space: one per thread.
 */
public final class KernelProbe {

    private final PackedModel model;
    private final Lanes lanes;
    private final float[] lp;
    private final float[] maxes;
    private final float[] centred;

    /** {@code lanes}: {@code vector} (the Vector API lanes) or {@code twin} (the scalar twin). */
    public KernelProbe(DiagonalGmm gmm, String lanes) {
        this.model = new PackedModel(gmm, VectorLanes.LANES);
        this.lanes = switch (lanes) {
            case "vector" -> VectorLanes.INSTANCE;
            case "twin" -> new ScalarLanes(model);
            default -> throw new IllegalArgumentException("lanes: vector or twin, not " + lanes);
        };
        this.lp = new float[SimdKernel.BLOCK * model.kpad];
        this.maxes = new float[SimdKernel.BLOCK];
        this.centred = new float[SimdKernel.BLOCK * model.d];
    }

    /** The species' bit size. */
    public static int bits() {
        return VectorLanes.SPECIES.vectorBitSize();
    }

    /** Descriptors per pass over the model. */
    public static int block() {
        return SimdKernel.BLOCK;
    }

    /** The log-likelihoods of {@code n} descriptors (whole blocks), unpruned; returns a checksum. */
    public float logLikelihoods(float[] x, int n) {
        int d = model.d;
        float s = 0;
        for (int i = 0; i + SimdKernel.BLOCK <= n; i += SimdKernel.BLOCK) {
            centreBlock(x, i, d);
            lanes.logLikelihoodsBlock(model, centred, lp, maxes);
            s += maxes[0];
        }
        return s;
    }

    /**
     * As the kernel centres a block ({@code SimdKernel.block}: the lanes' own {@code centre}, which
     * is vectorised on the vector lanes). {@code PackedModel.centre}'s plain loop, used here before,
     * is not vectorised by C2: at 128 x 64 it took about a sixth of the "pass alone" time, the
     * reason that shape's FMA share looked low (68% against 81-88% at the other shapes, 512 bits).
     */
    private void centreBlock(float[] x, int first, int d) {
        for (int b = 0; b < SimdKernel.BLOCK; b++) {
            lanes.centre(model, x, (first + b) * d, centred, b * d);
        }
    }

    /** Padded components (the terms per descriptor and dimension the pass computes). */
    public int kpad() {
        return model.kpad;
    }

    /** Components per lane group. */
    public int lanes() {
        return model.lanes;
    }

    /** A statistics kernel with seeded pruning forced on or off, on the twin or the vector lanes. */
    public static StatisticsKernel kernel(DiagonalGmm gmm, Sparsity sparsity, boolean twin, boolean prune) {
        return SimdKernel.of(gmm, sparsity, twin, prune);
    }

    /** {@code kernel}'s log-likelihood passes alone over {@code n} descriptors; returns a checksum. */
    public static float logLikelihoodsOnly(StatisticsKernel kernel, float[] x, int n) {
        return ((SimdKernel) kernel).logLikelihoodsOnly(x, n);
    }

    /** The (descriptor, component group) pairs {@code kernel} has skipped in its life. */
    public static long prunedGroups(StatisticsKernel kernel) {
        return ((SimdKernel) kernel).prunedGroups();
    }

    /** Warms the projection's vector code (the kernel's: {@code Kernels.warmUp()}). */
    public static void warmProjection() {
        ProjectionWarmUp.ensureWarm();
    }

    /** Whether the kernel's vector lanes serve calls (else the twin does). */
    public static boolean kernelWarm() {
        return VectorWarmUp.isWarm();
    }

    /** Whether the projection's vector code serves calls. */
    public static boolean projectionWarm() {
        return ProjectionWarmUp.isWarm();
    }
}
