package dev.fvec;

import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;

/**
 * The reference kernel: a plain transcription of SPEC.md in double precision, one descriptor at a
 * time. Every optimisation is tested against it, so it has no tricks.
 */
final class ScalarKernel implements StatisticsKernel {

    static final KernelProvider PROVIDER = new KernelProvider() {
        @Override
        public String name() {
            return "scalar";
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
            return new ScalarKernel(model, sparsity);
        }

        @Override
        public String toString() {
            return "scalar";
        }
    };

    private final DiagonalGmm model;
    private final int k;
    private final int d;
    private final boolean hard;
    private final double threshold;
    private final double[] logP; // scratch: log p_k(x_n), K

    ScalarKernel(DiagonalGmm model, Sparsity sparsity) {
        this.model = model;
        this.k = model.components();
        this.d = model.dimension();
        this.hard = sparsity.isHard();
        this.threshold = sparsity.threshold();
        this.logP = new double[k];
    }

    @Override
    public String implementationName() {
        return "scalar";
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats) {
        accumulate(x, offset, count, stats, null);
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats, KeptTermSink sink) {
        assert stats.components() == k && stats.dimension() == d;
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        double[] s2 = StatisticsAccess.s2(stats);
        long kept = 0;
        double logLikelihood = 0;
        for (int n = 0; n < count; n++) {
            int row = offset + n * d;

            // Step 1: log p_k(x) = log w_k - 1/2 sum_j [log 2pi + log var_kj + (x_j - mu_kj)^2 / var_kj].
            // The x-independent part is model.logNormalizers.
            int best = 0;
            for (int c = 0; c < k; c++) {
                double quad = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[row + j] - (double) model.means[c * d + j];
                    quad += diff * diff * model.inverseVariances[c * d + j];
                }
                logP[c] = model.logNormalizers[c] - 0.5 * quad;
                if (logP[c] > logP[best]) {
                    best = c;
                }
            }

            // Step 2: log-sum-exp with the max shift, so a far descriptor never has all-zero posteriors.
            double max = logP[best];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logP[c] - max);
            }
            double logSum = max + Math.log(sum);
            logLikelihood += logSum;

            // Step 3: posteriors q_k = exp(log p_k - logsumexp), sparsified; step 4: statistics.
            if (hard) {
                addTerm(x, row, best, 1.0, s0, s1, s2);
                if (sink != null) {
                    sink.add(n, best, 1.0);
                }
                kept++;
            } else {
                for (int c = 0; c < k; c++) {
                    double q = Math.exp(logP[c] - logSum);
                    if (q < threshold) {
                        continue;
                    }
                    addTerm(x, row, c, q, s0, s1, s2);
                    if (sink != null) {
                        sink.add(n, c, q);
                    }
                    kept++;
                }
            }
        }
        StatisticsAccess.addCounts(stats, count, kept, logLikelihood);
    }

    private void addTerm(float[] x, int row, int c, double q, double[] s0, double[] s1, double[] s2) {
        s0[c] += q;
        for (int j = 0; j < d; j++) {
            double xj = x[row + j];
            s1[c * d + j] += q * xj;
            s2[c * d + j] += q * xj * xj;
        }
    }
}
