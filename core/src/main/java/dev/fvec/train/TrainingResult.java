package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link GmmTrainer#fit} returns: the trained model and how the training went. Immutable.
 */
public final class TrainingResult {

    private final DiagonalGmm model;
    private final int iterations;
    private final double meanLogLikelihood;
    private final boolean converged;
    private final int reseededComponents;
    private final Duration elapsed;

    TrainingResult(DiagonalGmm model, int iterations, double meanLogLikelihood, boolean converged,
            int reseededComponents, Duration elapsed) {
        this.model = Objects.requireNonNull(model, "model");
        this.iterations = iterations;
        this.meanLogLikelihood = meanLogLikelihood;
        this.converged = converged;
        this.reseededComponents = reseededComponents;
        this.elapsed = elapsed;
    }

    /** This result with another model (the same mixture with its projection, say). */
    TrainingResult withModel(DiagonalGmm other) {
        return new TrainingResult(other, iterations, meanLogLikelihood, converged, reseededComponents, elapsed);
    }

    /** The trained model: the result of the last M-step. */
    public DiagonalGmm model() {
        return model;
    }

    /** Number of EM iterations run (each one E-step and one M-step), {@code >= 1}. */
    public int iterations() {
        return iterations;
    }

    /**
     * Mean log-likelihood per descriptor, in nats, from the last E-step: that of the model before
     * the last M-step, which EM can only improve (up to the variance floor and re-seeding). This
     * is what scikit-learn's {@code lower_bound_} and VLFeat report; evaluating {@link #model()}
     * itself would cost one more pass over the data.
     */
    public double meanLogLikelihood() {
        return meanLogLikelihood;
    }

    /**
     * Whether training stopped because the relative change of the mean log-likelihood per
     * descriptor fell to the tolerance or below ({@code false}: it stopped at the maximum iteration count).
     */
    public boolean converged() {
        return converged;
    }

    /**
     * How many times an EM M-step re-seeded a collapsed component (counting a component once per
     * M-step that re-seeded it); 0 in a healthy run. Empty clusters re-seeded during the k-means
     * initialisation are not counted.
     */
    public int reseededComponents() {
        return reseededComponents;
    }

    /** Wall-clock time of the whole {@code fit}, initialisation included. */
    public Duration elapsed() {
        return elapsed;
    }

    @Override
    public String toString() {
        return "TrainingResult[" + model + ", iterations=" + iterations + ", meanLogLikelihood="
                + meanLogLikelihood + ", converged=" + converged + ", reseeded=" + reseededComponents
                + ", elapsed=" + elapsed + "]";
    }
}
