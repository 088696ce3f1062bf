package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Kernels;
import dev.fvec.PyramidLayout;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialModel;
import dev.fvec.SpatialStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.CellRows;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * SIMD vs scalar properties extended to positions: on random models, descriptors, positions (some on
 * borders and edges) and layouts, (1) the twin and the vector lanes give bitwise the same spatial
 * vectors, cells' rows included; (2) each kernel's cell statistics keep the identities every kernel
 * must: with exact or hard posteriors {@code sum_k S0_k} is the cell's count and
 * {@code sum_k T1_kc} the sum of its normalised positions; (3) the SIMD kernel's cells agree with the
 * scalar reference's.
 */
class SpatialSimdProperties {

    private static final String[] LAYOUTS = {"1x1", "1x1,2x2,3x1", "2x3,1x2", "4x4,1x1"};

    /** A provider of the given kernels whose cells' rows are the given ones. */
    static KernelProvider provider(BiFunction<DiagonalGmm, Sparsity, StatisticsKernel> kernels, boolean twinRows) {
        KernelProvider inner = SimdKernelProvider.making(kernels);
        return new KernelProvider() {
            @Override
            public String name() {
                return inner.name();
            }

            @Override
            public String unavailableReason() {
                return null;
            }

            @Override
            public StatisticsKernel create(DiagonalGmm model, Sparsity sparsity) {
                return inner.create(model, sparsity);
            }

            @Override
            public CellRows createCellRows() {
                return twinRows ? CellRows.scalar(VectorCellRows.LANES) : new VectorCellRows();
            }
        };
    }

    @Provide
    Arbitrary<Cases.Case> anyCase() {
        return Combinators.combine(Arbitraries.longs(), Cases.components(), Cases.dimensions(),
                Arbitraries.integers().between(0, 160), Arbitraries.of(Cases.Kind.CLUSTERED, Cases.Kind.OVERLAPPING),
                Arbitraries.of(1.0, 0.01, 100.0), Arbitraries.of(Sparsity.none(), Sparsity.hard(), Sparsity.VLFEAT),
                Arbitraries.of(false, true))
                .as(Cases::generate);
    }

    @Property(tries = 150)
    void twinIsBitwiseTheLanesAndCellsKeepTheirIdentities(@ForAll("anyCase") Cases.Case c,
            @ForAll("seeds") int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int w = 1 + r.nextInt(900);
        int h = 1 + r.nextInt(700);
        float[] pos = new float[2 * c.n];
        for (int i = 0; i < c.n; i++) {
            boolean border = r.nextInt(4) == 0;
            pos[2 * i] = border ? Math.min(w, w * r.nextInt(7) / 6f) : (float) (r.nextDouble() * w);
            pos[2 * i + 1] = border ? Math.min(h, h * r.nextInt(5) / 4f) : (float) (r.nextDouble() * h);
        }
        int k = c.model.components();
        double[] sm = new double[2 * k];
        double[] sv = new double[2 * k];
        for (int i = 0; i < 2 * k; i++) {
            sm[i] = r.nextDouble();
            sv[i] = 0.005 + 0.2 * r.nextDouble();
        }
        SpatialModel spatial = SpatialModel.of(sm, sv);
        String layout = LAYOUTS[r.nextInt(LAYOUTS.length)];
        FisherForm form = FisherForm.values()[r.nextInt(3)];
        String label = c + " " + layout + " " + form + " " + w + "x" + h;

        float[] vector = encoder(provider(SimdKernel::vector, false), c, form, layout, spatial)
                .encode(c.x, pos, c.n, w, h);
        float[] twin = encoder(provider(SimdKernel::twin, true), c, form, layout, spatial).encode(c.x, pos, c.n, w, h);
        for (int i = 0; i < vector.length; i++) {
            assertEquals(Float.floatToRawIntBits(vector[i]), Float.floatToRawIntBits(twin[i]), label + ": element " + i);
        }

        SpatialStatistics simd = statistics(provider(SimdKernel::vector, false), c, form, layout, spatial, pos, w, h);
        SpatialStatistics scalar = statistics(Kernels.scalar(), c, form, layout, spatial, pos, w, h);
        PyramidLayout lay = PyramidLayout.parse(layout);
        for (int cell = 0; cell < lay.cells(); cell++) {
            double count = 0;
            double[] sumL = new double[2];
            int g = 0;
            while (g + 1 < lay.grids() && lay.cellBase(g + 1) <= cell) {
                g++;
            }
            for (int i = 0; i < c.n; i++) {
                if (lay.cellBase(g) + lay.cellInGrid(g, pos[2 * i], pos[2 * i + 1], w, h) == cell) {
                    count++;
                    sumL[0] += pos[2 * i] / (double) w;
                    sumL[1] += pos[2 * i + 1] / (double) h;
                }
            }
            for (SpatialStatistics st : new SpatialStatistics[] {simd, scalar}) {
                String what = label + (st == simd ? " simd" : " scalar") + " cell " + cell;
                GmmStatistics cs = st.cell(cell);
                assertEquals((long) count, cs.count(), what + ": N");
                double[] s0 = cs.s0();
                double[] t1 = st.cellT1(cell);
                double total = 0;
                double[] totalT = new double[2];
                for (int q = 0; q < k; q++) {
                    total += s0[q];
                    totalT[0] += t1[2 * q];
                    totalT[1] += t1[2 * q + 1];
                }
                if (!c.sparsity.isHard() && c.sparsity.threshold() > 0) {
                    // Thresholded: each descriptor loses at most K x t of its unit mass.
                    double lost = count * k * c.sparsity.threshold() + 1e-4 * count;
                    assertEquals(count, total, lost + 1e-9, what + ": sum S0");
                    continue;
                }
                assertEquals(count, total, 1e-4 * (1 + count), what + ": sum S0");
                assertEquals(sumL[0], totalT[0], 1e-4 * (1 + count), what + ": sum T1 x");
                assertEquals(sumL[1], totalT[1], 1e-4 * (1 + count), what + ": sum T1 y");
            }
            double[] a = simd.cell(cell).s0();
            double[] b = scalar.cell(cell).s0();
            for (int q = 0; q < k; q++) {
                assertEquals(b[q], a[q], 1e-3 * (1 + count), label + " cell " + cell + ": S0[" + q + "] simd vs scalar");
            }
        }
    }

    @Provide
    Arbitrary<Integer> seeds() {
        return Arbitraries.integers().between(0, 1_000_000);
    }

    private static SpatialEncoder encoder(KernelProvider p, Cases.Case c, FisherForm form, String layout,
            SpatialModel spatial) {
        FisherEncoder plain = FisherEncoder.builder(c.model).form(form).improved().sparsity(c.sparsity).kernel(p).build();
        return SpatialEncoder.builder(plain).pyramid(layout).spatial(spatial).build();
    }

    private static SpatialStatistics statistics(KernelProvider p, Cases.Case c, FisherForm form, String layout,
            SpatialModel spatial, float[] pos, int w, int h) {
        SpatialEncoder e = encoder(p, c, form, layout, spatial);
        SpatialStatistics st = e.newStatistics();
        e.accumulate(c.x, 0, pos, 0, c.n, w, h, st);
        return st;
    }
}
