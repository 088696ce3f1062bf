package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The EM starting point of one {@code fit} ({@link GmmTrainer.Init}).
 *
 * <p><b>k-means++</b>: greedy k-means++ seeding on a sample ({@link Seeding}; the best of up to 6
 * attempts where K is small enough for that to be cheap), then, when asked for (by default from
 * K = 128 on, {@link GmmTrainer#defaultKmeansIterations}: 5), Lloyd iterations on every descriptor,
 * fewer once the centers settle ({@link Lloyd}: Hamerly's bounds, so most rows are skipped after
 * the first updates; empty clusters re-seeded from the seeding's sample; {@link #LLOYD_TOLERANCE}),
 * then one M-step from the final hard assignment of every descriptor (weights = cluster sizes / N,
 * variances = within-cluster variances, floored); EM then runs on every descriptor. With no Lloyd
 * iteration the hard assignment is to the seeds themselves. Lloyd iterations used to run on the
 * seeding's sample, 5 at most: at K = 64 on the end-to-end benchmark's set that start was 0.29
 * nats per descriptor worse after EM than the seeds' own assignment (30 seeds paired, standard
 * error 0.07), and at K = 256 on PCA-64 SIFT-like data 0.011 worse (standard error 0.010) than 5
 * on every row ({@link GmmTrainer#FULL_KMEANS_MIN_COMPONENTS}).
 *
 * <p><b>random</b>: {@code K} distinct random descriptors as means, the data's floored variance,
 * equal weights.
 *
 * <p>All random choices come from the fit's one {@link SplittableRandom}.
 */
final class Initialisation {

    /**
     * Lloyd iterations stop once an update moves the centers by at most this times the data's mean
     * per-dimension variance (summed squared moves of all centers): scikit-learn's {@code KMeans}
     * default {@code tol}, relative as there.
     */
    static final double LLOYD_TOLERANCE = 1e-4;

    /** Progress reports of the seeding phase (about this many, plus the last). */
    private static final int SEEDING_REPORTS = 8;

    private final float[] x;
    private final int n;
    private final int d;
    private final int k;
    private final SplittableRandom rnd;
    private final ParallelPasses passes;
    private final MStep mStep;
    private final ProgressListener progress; // may be null
    private final Supplier<Duration> elapsed;

    Initialisation(float[] x, int n, int d, int k, SplittableRandom rnd, ParallelPasses passes,
            MStep mStep, ProgressListener progress, Supplier<Duration> elapsed) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.k = k;
        this.rnd = rnd;
        this.passes = passes;
        this.mStep = mStep;
        this.progress = progress;
        this.elapsed = elapsed;
    }

    /** {@code K} distinct random descriptors as means. */
    DiagonalGmm random() {
        float[] means = new float[k * d];
        Set<Integer> chosen = new HashSet<>();
        int c = 0;
        while (c < k) {
            int row = rnd.nextInt(n);
            if (chosen.add(row)) {
                System.arraycopy(x, row * d, means, c * d, d);
                c++;
            }
        }
        return mStep.spreadModel(means);
    }

    /**
     * k-means++ seeding on a sample, at most {@code lloydIterations} Lloyd iterations on every
     * descriptor, then one M-step from the final hard assignment of every descriptor.
     */
    DiagonalGmm kmeans(int lloydIterations) {
        Seeding seeding = new Seeding(x, n, d, k, Seeding.initialSampleSize(k), passes, rnd);
        float[] centers = seed(seeding);
        double shiftTolerance = LLOYD_TOLERANCE * mStep.meanDataVariance();
        Lloyd lloyd = new Lloyd(x, n, d, k, passes);
        GmmStatistics stats = lloyd.run(centers, lloydIterations, shiftTolerance,
                (c, existing, targets) -> seeding.place(c, existing, targets, null),
                done -> report("k-means", done, lloydIterations));
        return mStep.apply(stats).model;
    }

    /**
     * The initial centers, {@code K x D}: greedy k-means++ on a sample, the attempt with the lowest
     * potential on the sample kept ({@link Seeding#attempts}).
     */
    private float[] seed(Seeding seeding) {
        float[] centers = new float[k * d];
        int[] all = new int[k];
        for (int c = 0; c < k; c++) {
            all[c] = c;
        }
        int attempts = Seeding.attempts(seeding.size(), k);
        int total = attempts * k;
        int step = Math.max(1, (total + SEEDING_REPORTS - 1) / SEEDING_REPORTS);
        float[] attempt = attempts == 1 ? centers : new float[k * d];
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a < attempts; a++) {
            int before = a * k;
            double potential = seeding.place(attempt, new int[0], all, placed -> {
                int done = before + placed;
                if (done % step == 0 || done == total) {
                    report("k-means++ seeding", done, total);
                }
            });
            if (potential < best) {
                best = potential;
                if (attempt != centers) {
                    System.arraycopy(attempt, 0, centers, 0, centers.length);
                }
            }
        }
        return centers;
    }

    private void report(String phase, int done, int total) {
        if (progress != null) {
            progress.onInitialisation(phase, done, total, elapsed.get());
        }
    }
}
