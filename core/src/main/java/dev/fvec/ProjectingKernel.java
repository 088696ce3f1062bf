package dev.fvec;

import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.ProjectionKernel;
import dev.fvec.spi.StatisticsKernel;

/**
 * A statistics kernel for a model with a PCA projection: takes {@code Din}-column descriptors,
 * projects them {@value #BLOCK} at a time into a block buffer it owns, and hands each block to the
 * provider's kernel for the {@code D}-dimensional mixture. So no {@code N x D} copy of the input is
 * ever made, and nothing is allocated per call.
 *
 * <p>Not thread-safe: one instance per thread (it owns the block buffer), as every kernel.
 */
final class ProjectingKernel implements StatisticsKernel {

    /**
     * Descriptors projected per block: a multiple of the SIMD kernel's batch (128 descriptors), since
     * each kernel call ends by flushing its float windows into the double statistics, which costs
     * about a batch's worth of work per touched component (blocks of 32 made the kernel's part of an
     * encode of 1000 x 64 against K = 256 about 1.5x slower); and small enough that the block
     * ({@code 256 x D} floats, 64 KiB at D = 64) stays in L2 while the kernel reads it back.
     */
    static final int BLOCK = 256;

    private final StatisticsKernel kernel;
    private final ProjectionKernel projection;
    private final int din;
    private final int d;
    private final float[] block; // BLOCK x D
    private final String projectionName;
    private final ShiftedSink shifted = new ShiftedSink();

    private ProjectingKernel(StatisticsKernel kernel, ProjectionKernel projection, Projection p) {
        this.kernel = kernel;
        this.projection = projection;
        this.din = p.inputDimension();
        this.d = p.outputDimension();
        this.block = new float[BLOCK * d];
        this.projectionName = p.toString();
    }

    /** {@code provider}'s kernel for {@code model}, behind its projection step when the model has a projection. */
    static StatisticsKernel create(KernelProvider provider, DiagonalGmm model, Sparsity sparsity) {
        StatisticsKernel kernel = provider.create(model, sparsity);
        if (model.projection().isEmpty()) {
            return kernel;
        }
        Projection p = model.projection().get();
        return new ProjectingKernel(kernel, provider.createProjection(p), p);
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats) {
        accumulate(x, offset, count, stats, null);
    }

    @Override
    public void accumulate(float[] x, int offset, int count, GmmStatistics stats, KeptTermSink sink) {
        projectAndAccumulate(x, offset, count, stats, sink, false);
    }

    /**
     * The input checked block by block after its projection, which the projected values' own check
     * needs anyway: NaN or an infinity in a descriptor makes some of its projected values NaN or
     * infinite (a product with it is, even with a zero weight), so only a block whose projection
     * is not finite has its input ({@code Din} values a descriptor) looked at.
     */
    @Override
    public boolean accumulateIfFinite(float[] x, int offset, int count, GmmStatistics stats) {
        return projectAndAccumulate(x, offset, count, stats, null, true);
    }

    /**
     * Projects the descriptors block by block and accumulates them; a block whose projection is not
     * finite (the kernel's check: whole vectors on the SIMD kernel) returns false when
     * {@code checkInput} and its input is not finite either, and otherwise throws naming the
     * projected value (finite input too large for float once projected).
     */
    private boolean projectAndAccumulate(float[] x, int offset, int count, GmmStatistics stats, KeptTermSink sink,
            boolean checkInput) {
        assert offset >= 0 && count >= 0 && offset + (long) count * din <= x.length;
        for (int start = 0; start < count; start += BLOCK) {
            int n = Math.min(BLOCK, count - start);
            int row = offset + start * din;
            projection.project(x, row, n, block);
            if (kernel.firstNonFinite(block, 0, n * d) >= 0) {
                if (checkInput && kernel.firstNonFinite(x, row, row + n * din) >= 0) {
                    return false;
                }
                requireFinite(start, n);
            }
            kernel.accumulate(block, 0, n, stats, sink == null ? null : shifted.to(sink, start));
        }
        return true;
    }

    /** Passes a block's kept terms on with the descriptor's index in the whole call. */
    private static final class ShiftedSink implements KeptTermSink {
        private KeptTermSink target;
        private int start;

        ShiftedSink to(KeptTermSink target, int start) {
            this.target = target;
            this.start = start;
            return this;
        }

        @Override
        public void add(int descriptor, int component, double posterior) {
            target.add(start + descriptor, component, posterior);
        }
    }

    /**
     * Finite descriptors can still project to infinity (values near float's range): say which,
     * rather than let it into the statistics.
     */
    private void requireFinite(int start, int n) {
        for (int i = 0; i < n * d; i++) {
            float v = block[i];
            if (v - v != 0) {
                throw new IllegalArgumentException("descriptor " + (start + i / d) + " projects to " + v
                        + " in dimension " + (i % d) + " of D = " + d + " (" + projectionName
                        + "): its values are too large for float");
            }
        }
    }

    /** The inner kernel's check: it does not depend on the dimension. */
    @Override
    public int firstNonFinite(float[] x, int from, int to) {
        return kernel.firstNonFinite(x, from, to);
    }

    @Override
    public String implementationName() {
        return kernel.implementationName();
    }
}
