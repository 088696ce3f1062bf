package dev.fvec.simd;

import dev.fvec.DiagonalGmm;

/**
 * Benchmark access to the SIMD kernel's log-likelihood pass alone (package-private in fvec-simd):
 * this class sits in the kernel's package on the benchmark jar's class path. Not API.
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

    /** The log-likelihoods of {@code n} descriptors (a multiple of the block), unpruned; returns a checksum. */
    public float logLikelihoods(float[] x, int n) {
        int d = model.d;
        float s = 0;
        for (int i = 0; i + SimdKernel.BLOCK <= n; i += SimdKernel.BLOCK) {
            for (int b = 0; b < SimdKernel.BLOCK; b++) {
                model.centre(x, (i + b) * d, centred, b * d);
            }
            lanes.logLikelihoodsBlock(model, centred, lp, maxes);
            s += maxes[0];
        }
        return s;
    }

    /** Padded components (the terms per descriptor and dimension the pass computes). */
    public int kpad() {
        return model.kpad;
    }
}
