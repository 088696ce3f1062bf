package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import java.io.Serializable;

/**
 * A {@link DiagonalGmm} as plain arrays, so it can be broadcast to executors and sent in tasks
 * ({@code DiagonalGmm} itself is not {@link Serializable}). Immutable once built; the executor side
 * rebuilds the model with {@link #toModel()}, which validates it again.
 */
final class GmmData implements Serializable {

    private static final long serialVersionUID = 1L;

    final int k;
    final int d;
    final float[] weights;
    final float[] means;
    final float[] variances;

    GmmData(DiagonalGmm model) {
        this.k = model.components();
        this.d = model.dimension();
        this.weights = model.weights();
        this.means = model.means();
        this.variances = model.variances();
    }

    DiagonalGmm toModel() {
        return DiagonalGmm.of(k, d, weights, means, variances);
    }
}
