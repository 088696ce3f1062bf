package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.Projection;
import java.io.Serializable;

/**
 * A {@link DiagonalGmm} as plain arrays, so it can be broadcast to executors and sent in tasks
 * ({@code DiagonalGmm} itself is not {@link Serializable}), with its PCA {@link Projection} when it
 * has one. Immutable once built; the executor side rebuilds the model with {@link #toModel()}, which
 * validates it again.
 */
final class GmmData implements Serializable {

    private static final long serialVersionUID = 2L;

    final int k;
    final int d;
    final float[] weights;
    final float[] means;
    final float[] variances;
    /** The projection's arrays, all null without one; {@code pcaVariance} may be null with one. */
    final float[] pcaMean;
    final float[] pcaComponents;
    final float[] pcaVariance;
    final boolean whiten;

    GmmData(DiagonalGmm model) {
        this.k = model.components();
        this.d = model.dimension();
        this.weights = model.weights();
        this.means = model.means();
        this.variances = model.variances();
        Projection p = model.projection().orElse(null);
        this.pcaMean = p == null ? null : p.mean();
        this.pcaComponents = p == null ? null : p.components();
        this.pcaVariance = p == null ? null : p.explainedVariance().orElse(null);
        this.whiten = p != null && p.whiten();
    }

    DiagonalGmm toModel() {
        DiagonalGmm m = DiagonalGmm.of(k, d, weights, means, variances);
        return pcaMean == null ? m
                : m.withProjection(Projection.of(pcaMean.length, d, pcaMean, pcaComponents, pcaVariance, whiten));
    }
}
