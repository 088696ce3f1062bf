package dev.fvec.train;

import java.time.Duration;

/**
 * Called by {@link GmmTrainer} on the thread that called {@code fit}: during the initialisation
 * ({@link #onInitialisation}, optional) and once per EM iteration ({@link #onIteration}).
 *
 * <p>An exception thrown here aborts the training and propagates out of {@code fit}.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param iteration 1-based EM iteration number
     * @param meanLogLikelihood mean log-likelihood per descriptor, in nats, of the training data
     *     under the model this iteration's E-step evaluated (the model before its M-step)
     * @param elapsed wall-clock time since {@code fit} began, initialisation included
     */
    void onIteration(int iteration, double meanLogLikelihood, Duration elapsed);

    /**
     * Progress of the k-means++ initialisation, before the first EM iteration: {@code done} of
     * {@code total} steps of {@code phase}, which is {@code "k-means++ seeding"} (steps: centers
     * placed, over all seeding attempts; reported about eight times, then at {@code total}) or {@code "k-means"} (steps: Lloyd
     * iterations, each reported; {@code total} is the maximum, the last one reported may be lower
     * when the assignment stops changing early). Not called for a random or a given start. The
     * default does nothing.
     *
     * @param phase what is running, in words a progress line can show
     * @param done steps finished, {@code 1 <= done <= total}
     * @param total steps in the phase
     * @param elapsed wall-clock time since {@code fit} began
     */
    default void onInitialisation(String phase, int done, int total, Duration elapsed) {
    }
}
