package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.Projection;
import dev.fvec.simd.KernelProbe;
import dev.fvec.simd.SimdKernelProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The PCA projection's price measured in pairs, for a machine too busy for JMH's sequential
 * parameters: encodes of already projected 64-D descriptors and of their raw 128-D lifts through a
 * 128 -> 64 projection ({@link PcaEncodeBench}'s inputs: K = 256, N = 1000, VLFEAT improved,
 * t = 1e-6) alternate, each timed in thread CPU time, so that load drifting over the run hits both
 * alike; prints the medians and their ratio. The kernel's and the projection's vector code are
 * warmed first. Not API.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.fvec.bench.PcaPairedTiming
 * </pre>
 */
public final class PcaPairedTiming {

    private PcaPairedTiming() {
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Inputs in = Inputs.of("64x256x1000");
        Projection p = PcaEncodeBench.orthonormalProjection(128, in.d, 99);
        float[] raw = PcaEncodeBench.lift(p, in.x, in.n);
        SimdKernelProvider provider = new SimdKernelProvider();
        provider.warmUp();
        KernelProbe.warmProjection();
        FisherEncoder direct = FisherEncoder.builder(in.model).kernel(provider).improved().build();
        FisherEncoder pca = FisherEncoder.builder(in.model.withProjection(p)).kernel(provider).improved().build();
        float[] out = new float[direct.length()];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 300; i++) {
            direct.encode(in.x, 0, in.n, out, 0);
            pca.encode(raw, 0, in.n, out, 0);
        }
        long[] projected = new long[reps];
        long[] lifted = new long[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            direct.encode(in.x, 0, in.n, out, 0);
            long c1 = threads.getCurrentThreadCpuTime();
            pca.encode(raw, 0, in.n, out, 0);
            long c2 = threads.getCurrentThreadCpuTime();
            projected[i] = c1 - c0;
            lifted[i] = c2 - c1;
        }
        Arrays.sort(projected);
        Arrays.sort(lifted);
        System.out.printf("vector code: kernel %s, projection %s; thread CPU per encode (median of %d):"
                + " projected64 %.3f ms, raw128 %.3f ms, ratio %.3f%n",
                KernelProbe.kernelWarm() ? "yes" : "no (twin)", KernelProbe.projectionWarm() ? "yes" : "no (twin)", reps,
                projected[reps / 2] / 1e6, lifted[reps / 2] / 1e6, (double) lifted[reps / 2] / projected[reps / 2]);
    }
}
