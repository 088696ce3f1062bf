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
    final ProjectionData projection; // null: none

    GmmData(DiagonalGmm model) {
        this.k = model.components();
        this.d = model.dimension();
        this.weights = model.weights();
        this.means = model.means();
        this.variances = model.variances();
        this.projection = model.projection().map(ProjectionData::new).orElse(null);
    }

    DiagonalGmm toModel() {
        DiagonalGmm m = DiagonalGmm.of(k, d, weights, means, variances);
        return projection == null ? m : m.withProjection(projection.toProjection());
    }

    /** A {@link Projection} as plain arrays ({@code explainedVariance} may be null), for the same reason. */
    static final class ProjectionData implements Serializable {

        private static final long serialVersionUID = 1L;

        final int din;
        final int d;
        final float[] mean;
        final float[] components;
        final float[] explainedVariance;
        final boolean whiten;

        ProjectionData(Projection p) {
            this.din = p.inputDimension();
            this.d = p.outputDimension();
            this.mean = p.mean();
            this.components = p.components();
            this.explainedVariance = p.explainedVariance().orElse(null);
            this.whiten = p.whiten();
        }

        Projection toProjection() {
            return Projection.of(din, d, mean, components, explainedVariance, whiten);
        }
    }
}
