package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.GoldenCases;
import dev.fvec.Sparsity;
import dev.fvec.io.NpyArray;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The far-from-every-mean fallback (issue 10 item 6) costs nothing on ordinary data: on the golden
 * cases no descriptor falls back to the scalar reference, at any sparsity. (Prints the rate.)
 */
class GoldenFallbackRateTest {

    @Test
    void noGoldenDescriptorFallsBack() {
        Set<String> cases = new LinkedHashSet<>();
        for (GoldenCases.Variant v : GoldenCases.variants()) {
            cases.add(v.caseName);
        }
        long total = 0;
        long fallbacks = 0;
        for (String name : cases) {
            DiagonalGmm model = GoldenCases.model(name);
            NpyArray x = GoldenCases.descriptors(name);
            for (Sparsity s : new Sparsity[] {Sparsity.none(), Sparsity.threshold(1e-6), Sparsity.hard()}) {
                SimdKernel kernel = SimdKernel.vector(model, s);
                kernel.accumulate(x.data(), 0, x.rows(), GmmStatistics.forModel(model));
                System.out.printf("golden %s %s: %d of %d descriptors fell back (trusted max %.1f)%n", name, s,
                        kernel.fallbacks(), x.rows(), kernel.minTrustedMax);
                total += x.rows();
                fallbacks += kernel.fallbacks();
            }
        }
        assertEquals(0, fallbacks, fallbacks + " of " + total + " golden descriptors fell back");
    }
}
