package dev.fvec.train;

import java.time.Duration;

/**
 * Called by {@link GmmTrainer} once per EM iteration, on the thread that called
 * {@code fit}, after the E-step and before the M-step of that iteration.
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
}
