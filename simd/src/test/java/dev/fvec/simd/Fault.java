package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.StatisticsAccess;
import dev.fvec.spi.StatisticsKernel;

/**
 * Deliberate bugs in the SIMD kernel, for the tests that prove the comparisons would catch them.
 * Each breaks a real kernel through its package-private seams (the packed model's arrays) or wraps
 * it, so production code carries no mutation hooks.
 */
enum Fault {
    NONE,
    /** Forgets the last descriptor of every call (but still counts it in N). */
    SKIP_LAST_DESCRIPTOR,
    /** Treats the last component as padding: an off-by-one in the K tail. */
    DROP_LAST_COMPONENT,
    /** Ignores the last dimension in the log-likelihoods: an off-by-one in the D tail. */
    DROP_LAST_DIMENSION,
    /** Swaps the log-likelihoods of components 0 and 1. */
    SWAP_FIRST_TWO_COMPONENTS;

    /** A SIMD kernel for {@code model} and {@code sparsity} with this fault. */
    StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
        SimdKernel kernel = SimdKernel.vector(model, sparsity);
        PackedModel m = kernel.model;
        switch (this) {
            case SKIP_LAST_DESCRIPTOR:
                return new StatisticsKernel() {
                    @Override
                    public void accumulate(float[] x, int offset, int count, GmmStatistics stats) {
                        kernel.accumulate(x, offset, Math.max(count - 1, 0), stats);
                        if (count > 0) {
                            StatisticsAccess.addCounts(stats, 1, 0, 0);
                        }
                    }

                    @Override
                    public String implementationName() {
                        return kernel.implementationName();
                    }
                };
            case DROP_LAST_COMPONENT:
                m.logNorm[m.k - 1] = Float.NEGATIVE_INFINITY;
                break;
            case DROP_LAST_DIMENSION:
                for (int c = 0; c < m.k; c++) {
                    m.groups[m.termIndex(c, m.d - 1)] = 0f;
                    m.groups[m.termIndex(c, m.d - 1) + m.lanes] = 0f;
                }
                break;
            case SWAP_FIRST_TWO_COMPONENTS:
                if (m.k >= 2) {
                    swap(m.logNorm, 0, 1);
                    for (int j = 0; j < m.d; j++) {
                        swap(m.groups, m.termIndex(0, j), m.termIndex(1, j));
                        swap(m.groups, m.termIndex(0, j) + m.lanes, m.termIndex(1, j) + m.lanes);
                    }
                }
                break;
            default:
                break;
        }
        return kernel;
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
