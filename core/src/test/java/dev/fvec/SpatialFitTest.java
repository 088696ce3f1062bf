package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SpatialFitTest {

    @Test
    void oneComponentGivesTheMomentsOfThePositions() {
        DiagonalGmm one = DiagonalGmm.of(new float[] {1}, new float[] {0}, new float[] {1});
        SpatialFit fit = new SpatialFit(one, Kernels.scalar());
        // l = (0.1, 0.5), (0.3, 0.5), (0.5, 0.5): mean (0.3, 0.5), variance (0.08/3, 0 -> floor 1e-4).
        fit.add(new float[] {1, 2}, new float[] {10, 25, 30, 25}, 2, 100, 50);
        SpatialFit other = new SpatialFit(one, Kernels.scalar());
        other.add(new float[] {-1}, new float[] {50, 25}, 1, 100, 50);
        fit.merge(other);
        SpatialModel sm = fit.result();
        assertEquals(3, fit.count());
        assertEquals(0.3, sm.means()[0], 1e-12);
        assertEquals(0.5, sm.means()[1], 1e-12);
        assertEquals(0.08 / 3, sm.variances()[0], 1e-12);
        assertEquals(SpatialFit.VARIANCE_FLOOR, sm.variances()[1], 0);
    }

    @Test
    void separatedComponentsGetTheirOwnRegions() {
        // Component 0 near x = -10, component 1 near x = +10: posteriors are 0/1 to double precision.
        DiagonalGmm two = DiagonalGmm.of(new float[] {0.5f, 0.5f}, new float[] {-10, 10}, new float[] {1, 1});
        SpatialFit fit = new SpatialFit(two, Kernels.scalar());
        fit.add(new float[] {-10, -10, 10, 10}, new float[] {0, 0, 20, 20, 80, 40, 100, 60}, 4, 100, 100);
        SpatialModel sm = fit.result();
        assertEquals(0.1, sm.means()[0], 1e-9);
        assertEquals(0.1, sm.means()[1], 1e-9);
        assertEquals(0.9, sm.means()[2], 1e-9);
        assertEquals(0.5, sm.means()[3], 1e-9);
        assertEquals(0.01, sm.variances()[0], 1e-9);
        assertEquals(0.01, sm.variances()[3], 1e-9);
        // A third component far from every descriptor keeps the uniform moments.
        DiagonalGmm three = DiagonalGmm.of(new float[] {0.4f, 0.4f, 0.2f}, new float[] {-10, 10, 1e4f}, new float[] {1, 1, 1});
        SpatialFit f3 = new SpatialFit(three, Kernels.scalar());
        f3.add(new float[] {-10, 10}, new float[] {0, 0, 100, 100}, 2, 100, 100);
        assertEquals(0.5, f3.result().means()[4], 0);
        assertEquals(SpatialModel.UNIFORM_VARIANCE, f3.result().variances()[5], 0);
    }
}
