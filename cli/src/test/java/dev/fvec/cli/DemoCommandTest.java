package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;
import org.junit.jupiter.api.Test;

/** The demo at its {@code --small} size; the full size is run by hand (about 10 s). */
class DemoCommandTest {

    @Test
    void smallDemoRunsAndChecksSimd() {
        CliRun r = CliRun.of("demo", "--small");
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.contains("train:  K = 16"), r.out);
        assertTrue(r.out.contains("encode: 10 images"), r.out);
        assertTrue(r.out.contains("scalar "), r.out);
        KernelProvider simd = KernelProvider.installed("simd");
        if (simd != null && simd.unavailableReason() == null) {
            assertTrue(r.out.contains("  simd "), r.out);
            assertTrue(r.out.contains("(tolerance 1.00e-04): OK"), r.out);
            assertTrue(r.out.contains("x (a run this small mostly times JIT compilation"), "a small ratio explained: " + r.out);
        } else {
            assertTrue(r.out.contains("SIMD kernel not available"), r.out);
            assertTrue(r.out.contains("--add-modules jdk.incubator.vector"), r.out);
            assertTrue(r.out.contains("check:  skipped"), r.out);
        }
        assertTrue(r.err.contains("train: 1/5 iterations"), "training progress on stderr: " + r.err);
    }

    @Test
    void quietDemoStillPrintsItsReport() {
        CliRun r = CliRun.of("demo", "--small", "--quiet", "--kernel", "scalar", "--seed", "7");
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.err);
        assertTrue(r.out.contains("kernel: scalar (forced by --kernel)"), r.out);
        assertTrue(r.out.contains("(seed 7)"), r.out);
    }

    @Test
    void relativeDifferenceFailsOnNaN() {
        float[] a = {1, Float.NaN};
        float[] b = {1, 2};
        assertEquals(Double.POSITIVE_INFINITY, DemoCommand.maxRelativeDifference(a, b, 1, 2));
        assertEquals(0.25, DemoCommand.maxRelativeDifference(new float[] {1, 2, 0, 3}, new float[] {1, 2, 0, 4}, 2, 2));
    }
}
