package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.Sparsity;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated test cases: a model and descriptors, with shapes biased towards the kernel's edges
 * (1, lanes - 1, lanes + 1, 2 lanes + 3, primes, K = 1, N = 0 and 1, N past the flush window) and
 * values from tiny to large scales, far outliers, large offsets and near-zero variances.
 */
final class Cases {

    static final int L = VectorLanes.LANES;

    /** What the descriptors look like relative to the model. */
    enum Kind {
        /** Descriptors drawn around the components: ordinary, well-conditioned data. */
        CLUSTERED,
        /** Components close together (means spread 0.5, not 3): soft posteriors everywhere. */
        OVERLAPPING,
        /** Descriptors uniform over a box around the means. */
        UNIFORM,
        /** Every descriptor far from every component: every log-likelihood very negative. */
        OUTLIERS,
        /** Means and descriptors offset by 1e4 standard deviations: raw moments cancel badly. */
        OFFSET,
        /** Some variances near zero (1e-10 of the others), some descriptors exactly on a mean. */
        TINY_VARIANCES
    }

    /** One generated case. */
    static final class Case {
        final DiagonalGmm model;
        final float[] x;
        final int n;
        final Sparsity sparsity;
        final String label;

        Case(DiagonalGmm model, float[] x, int n, Sparsity sparsity, String label) {
            this.model = model;
            this.x = x;
            this.n = n;
            this.sparsity = sparsity;
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private Cases() {
    }

    static Arbitrary<Integer> components() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(6, Arbitraries.of(2, 3, L - 1, L, L + 1, 2 * L + 3)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(5, 7, 13, 31, 37)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3 * L + 5)));
    }

    static Arbitrary<Integer> dimensions() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(6, Arbitraries.of(2, L - 1, L, L + 1, 2 * L + 3)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(3, 7, 13, 37)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 70)));
    }

    static Arbitrary<Integer> counts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0, 1)),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(2, 3, 4, 5, 7, 9)),
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(10, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(131, 260)));
    }

    static Arbitrary<Sparsity> sparsities() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Sparsity.none())),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Sparsity.threshold(1e-6))),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Sparsity.hard())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Sparsity.threshold(0.05))));
    }

    static Arbitrary<Double> scales() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(1.0)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(1e-12, 1e-6, 1e-3, 1e3, 1e6, 1e12)));
    }

    static Arbitrary<Kind> kinds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.CLUSTERED)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(Kind.OVERLAPPING, Kind.UNIFORM, Kind.OUTLIERS, Kind.OFFSET, Kind.TINY_VARIANCES)));
    }

    /** Any case, with the given sparsity. */
    static Arbitrary<Case> cases(Arbitrary<Sparsity> sparsity) {
        return Combinators.combine(Arbitraries.longs(), components(), dimensions(), counts(), kinds(), scales(),
                sparsity, Arbitraries.of(false, false, false, true))
                .as(Cases::generate);
    }

    static Case generate(long seed, int k, int d, int n, Kind kind, double scale, Sparsity sparsity, boolean twins) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[k];
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        double offset = kind == Kind.OFFSET ? 1e4 : 0;
        double wSum = 0;
        double[] rawW = new double[k];
        for (int c = 0; c < k; c++) {
            rawW[c] = 0.2 + rnd.nextDouble();
            wSum += rawW[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] = (float) (rawW[c] / wSum);
        }
        for (int c = 0; c < k; c++) {
            boolean tiny = kind == Kind.TINY_VARIANCES && rnd.nextInt(3) == 0;
            for (int j = 0; j < d; j++) {
                double spread = kind == Kind.OVERLAPPING ? 0.5 : 3;
                mu[c * d + j] = (float) (scale * (offset + spread * gaussian(rnd)));
                double v = 0.5 * Math.exp(0.7 * gaussian(rnd)) * (tiny && rnd.nextBoolean() ? 1e-10 : 1);
                var[c * d + j] = (float) (scale * scale * v);
            }
        }
        if (twins && k >= 2) { // two identical components: exact ties
            System.arraycopy(mu, 0, mu, d, d);
            System.arraycopy(var, 0, var, d, d);
            w[0] = w[1] = (w[0] + w[1]) / 2;
        }
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(k);
            boolean onMean = kind == Kind.TINY_VARIANCES && rnd.nextInt(4) == 0;
            for (int j = 0; j < d; j++) {
                double m = mu[c * d + j];
                double sd = Math.sqrt(var[c * d + j]);
                double v;
                switch (kind) {
                    case UNIFORM:
                        v = scale * (offset + 10 * (rnd.nextDouble() - 0.5));
                        break;
                    case OUTLIERS:
                        v = scale * (1e4 * (rnd.nextBoolean() ? 1 : -1) + 3 * gaussian(rnd));
                        break;
                    default:
                        v = onMean ? m : m + sd * gaussian(rnd);
                        break;
                }
                x[i * d + j] = (float) v;
            }
        }
        String label = String.format("K=%d D=%d N=%d %s scale=%g %s%s seed=%d", k, d, n, kind, scale, sparsity,
                twins ? " twins" : "", seed);
        return new Case(DiagonalGmm.of(w, mu, var), x, n, sparsity, label);
    }

    static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
