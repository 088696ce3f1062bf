package dev.fvec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.spi.KernelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Service-grade behaviour of an encoder on a given kernel: concurrency, determinism, and numerical
 * stress against the double-precision {@link Oracle}. Subclassed once per kernel (scalar in core,
 * SIMD in the simd module), so both are held to the same contract.
 */
public abstract class ServiceGradeTests {

    /** For the per-kernel subclasses. */
    protected ServiceGradeTests() {
    }

    /** The kernel under test. */
    protected abstract KernelProvider provider();

    /** How close this kernel must be to the double-precision oracle. */
    protected abstract Tolerances.Tolerance tolerance();

    private FisherEncoder.Builder builder(DiagonalGmm m) {
        return FisherEncoder.builder(m).kernel(provider());
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static void assertAllFinite(float[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            assertTrue(Float.isFinite(v[i]), what + ": element " + i + " = " + v[i]);
        }
    }

    @Test
    void sixteenThreadsSharingOneEncoderGetBitwiseTheSingleThreadedOutput() throws Exception {
        int d = 32;
        int k = 48;
        int n = 150;
        int inputs = 24;
        float[] data = SyntheticDescriptors.generate(11, n * inputs, d, 10);
        DiagonalGmm model = TestModels.fromData(data, n * inputs, d, k, 5, 0.5);
        FisherEncoder encoder = builder(model).improved().build();
        float[][] expected = new float[inputs][];
        for (int i = 0; i < inputs; i++) {
            expected[i] = new float[encoder.length()];
            encoder.encode(data, i * n * d, n, expected[i], 0);
        }
        int threads = 16;
        long runNanos = 1_500_000_000L;
        AtomicLong calls = new AtomicLong();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        long[] usedAfterWarmup = new long[1];
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread th = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                float[] out = new float[encoder.length()];
                try {
                    start.await();
                    long end = System.nanoTime() + runNanos;
                    while (System.nanoTime() < end) {
                        int i = rnd.nextInt(inputs);
                        // alternate the two entry points: both must give the same bits
                        float[] got = rnd.nextBoolean() ? encoder.encode(Arrays.copyOfRange(data, i * n * d, (i + 1) * n * d), n) : out;
                        if (got == out) {
                            encoder.encode(data, i * n * d, n, out, 0);
                        }
                        if (!Arrays.equals(expected[i], got)) {
                            failures.add("thread " + seed + ", input " + i + ": output differs from single-threaded");
                        }
                        calls.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.add("thread " + seed + ": " + e);
                }
            });
            workers.add(th);
            th.start();
        }
        start.countDown();
        Thread.sleep(runNanos / 3_000_000L);
        usedAfterWarmup[0] = EncoderLifetime.liveBytes();
        for (Thread th : workers) {
            th.join();
        }
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.peek());
        assertTrue(calls.get() >= threads, "only " + calls.get() + " calls completed");
        // Per-thread scratch is ~2 * K * D doubles; retained growth beyond a few MB means a leak.
        // Live bytes come from the class histogram (Runtime's used-after-gc is not what is retained).
        // The heap is shared with the test runner, so a high reading is taken again (after the
        // runner's own buffers have had time to drain) before it counts as growth; a failure
        // carries the class histogram that says what is retained.
        long growth = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && growth >= 16L << 20; attempt++) {
            if (attempt > 0) {
                Thread.sleep(200);
            }
            growth = EncoderLifetime.liveBytes() - usedAfterWarmup[0];
        }
        if (growth >= 16L << 20) {
            fail("retained heap grew by " + growth + " bytes during the run; largest classes:\n"
                    + EncoderLifetime.classHistogram(15));
        }
    }


    @Test
    void repeatedRunsAndSeparateEncodersAreBitwiseIdentical() {
        int d = 17;
        int k = 9;
        int n = 301;
        float[] x = SyntheticDescriptors.generate(21, n, d, 5);
        DiagonalGmm model = TestModels.fromData(x, n, d, k, 2, 0.5);
        for (FisherForm form : FisherForm.values()) {
            FisherEncoder a = builder(model).form(form).improved().build();
            FisherEncoder b = builder(model).form(form).improved().build();
            float[] first = a.encode(x, n);
            for (int r = 0; r < 3; r++) {
                assertArrayEquals(first, a.encode(x, n), form + " run " + r);
            }
            assertArrayEquals(first, b.encode(x, n), form + " second encoder");
            float[] out = new float[a.length()];
            a.encode(x, 0, n, out, 0);
            assertArrayEquals(first, out, form + " allocation-free");
        }
    }

    @Test
    void descriptorsFarFromEveryMean() {
        // means at 0, 100, 200 per dimension; x ~ 1e6: every log-likelihood is about -1e12, but the
        // nearest component (200) wins by ~1e8 nats, far beyond float rounding (~1e5 at that scale).
        int d = 4;
        DiagonalGmm m = DiagonalGmm.of(3, d, new float[] {0.3f, 0.3f, 0.4f},
                new float[] {0, 0, 0, 0, 100, 100, 100, 100, 200, 200, 200, 200}, filled(3 * d, 1f));
        float[] x = new float[3 * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1e6f + i;
        }
        GmmStatistics s = GmmStatistics.forModel(m);
        builder(m).sparsity(Sparsity.none()).build().accumulate(x, 0, 3, s);
        assertEquals(3.0, s.s0()[2], 1e-9, "all posterior mass on the nearest component");
        assertTrue(Double.isFinite(s.logLikelihood()) && s.logLikelihood() < -1e12, "log-likelihood " + s.logLikelihood());
        for (FisherForm form : FisherForm.values()) {
            float[] got = builder(m).form(form).improved().build().encode(x, 3);
            assertAllFinite(got, form.toString());
            tolerance().assertClosePowered(Oracle.encode(m, x, 3, form, 0.5, true, Sparsity.VLFEAT), got, 0.5, "far " + form);
        }
    }

    @Test
    void variancesNearFloatsSmallestNormal() {
        int d = 3;
        float tiny = Float.MIN_NORMAL * 4;
        DiagonalGmm m = DiagonalGmm.of(2, d, new float[] {0.5f, 0.5f}, new float[] {0, 0, 0, 1, 1, 1},
                new float[] {tiny, tiny, tiny, 1, 1, 1});
        // Descriptor 0 sits on the tiny component's mean; descriptor 1 is off it by 1e-3, i.e. 1e31
        // standard deviations, so the broad component takes it.
        float[] x = {0, 0, 0, 1e-3f, 0, 0, 0.9f, 1.1f, 1};
        GmmStatistics s = GmmStatistics.forModel(m);
        builder(m).sparsity(Sparsity.none()).build().accumulate(x, 0, 3, s);
        assertEquals(1.0, s.s0()[0], 1e-6);
        assertEquals(2.0, s.s0()[1], 1e-6);
        assertTrue(Double.isFinite(s.logLikelihood()), "log-likelihood " + s.logLikelihood());
        for (FisherForm form : FisherForm.values()) {
            float[] got = builder(m).form(form).improved().build().encode(x, 3);
            assertAllFinite(got, form.toString());
            tolerance().assertClosePowered(Oracle.encode(m, x, 3, form, 0.5, true, Sparsity.VLFEAT), got, 0.5, "tiny variance " + form);
        }
    }

    @Test
    void valuesNearFloatsMaximum() {
        DiagonalGmm m = DiagonalGmm.of(2, 1, new float[] {0.5f, 0.5f}, new float[] {0, 1e38f}, new float[] {1, 1e30f});
        float[] x = {3e38f, -3e38f, 1e38f};
        float[] got = builder(m).form(FisherForm.VLFEAT).improved().build().encode(x, 3);
        assertAllFinite(got, "improved");
        tolerance().assertClosePowered(Oracle.encode(m, x, 3, FisherForm.VLFEAT, 0.5, true, Sparsity.VLFEAT), got, 0.5, "near max");
        // Unnormalised, S2 / var is ~1e77: not representable as float, so a clear error, not Infinity.
        ArithmeticException e = assertThrows(ArithmeticException.class,
                () -> builder(m).form(FisherForm.GIST).build().encode(x, 3));
        assertTrue(e.getMessage().contains("does not fit in a float"), e.getMessage());
    }

    @Test
    void oneDescriptorOneComponentOneDimension() {
        DiagonalGmm m = DiagonalGmm.of(new float[] {1}, new float[] {2}, new float[] {0.5f});
        float[] x = {3.5f};
        for (FisherForm form : FisherForm.values()) {
            for (Sparsity sp : new Sparsity[] {Sparsity.none(), Sparsity.VLFEAT, Sparsity.hard()}) {
                float[] got = builder(m).form(form).sparsity(sp).build().encode(x, 1);
                tolerance().assertClose(Oracle.encode(m, x, 1, form, 0, false, sp), got, form + " " + sp);
            }
        }
    }

    @Test
    void aMillionDescriptorsStreamedInChunks() {
        int d = 8;
        int k = 5;
        int chunk = 1000;
        int chunks = 1000;
        float[] block = SyntheticDescriptors.generate(99, chunk, d, 4);
        DiagonalGmm m = TestModels.fromData(block, chunk, d, k, 3, 0.5);
        FisherEncoder e = builder(m).form(FisherForm.SKIMAGE).improved().build();
        GmmStatistics streamed = e.newStatistics();
        for (int c = 0; c < chunks; c++) {
            e.accumulate(block, 0, chunk, streamed);
        }
        GmmStatistics once = e.newStatistics();
        e.accumulate(block, 0, chunk, once);
        assertEquals((long) chunk * chunks, streamed.count());
        double s0 = 0;
        for (double v : streamed.s0()) {
            s0 += v;
        }
        // What the error model allows (simd's FloatErrorModel): each dropped term is below t, so the
        // dropped mass is at most (N K - kept) t; a float kernel's posteriors of one descriptor
        // (e_k * (1 / sum), summed in double) add up to 1 within (K + 2) u, u = 2^-24, twice for
        // headroom; the double reference's far closer. Here 0.8 in 1e6 (t = 0) where it was 5.
        long n = (long) chunk * chunks;
        double dropped = (n * k - streamed.keptTerms()) * e.sparsity().threshold();
        double rounding = 2 * n * (k + 2) * 0x1p-24;
        assertEquals((double) n, s0, dropped + rounding);
        // The same block a thousand times: exactly a thousand times its S0, up to double summation.
        double onceS0 = 0;
        for (double v : once.s0()) {
            onceS0 += v;
        }
        assertEquals(chunks * onceS0, s0, 1e-10 * s0);
        // The same block 1000 times has exactly the statistics of the block, scaled: the vector is the same.
        float[] expected = e.encode(once);
        float[] got = e.encode(streamed);
        assertAllFinite(got, "streamed");
        Tolerances.FLOAT_KERNEL.assertClose(expected, got, "streamed vs one block");
    }

    // ---- Encoder lifetime and memory (issue 10 item 1) ----

    /** Used heap (after GC) allowed in a child JVM once 10,000 encoders have come and gone. */
    private static final long RETAINED_LIMIT = 48L << 20;

    @Test
    void tenThousandEncodersOnAFixedPoolOfEightThreadsRetainABoundedHeap() throws Exception {
        long used = EncoderLifetime.runChild("pool", provider(), 10_000);
        assertTrue(used < RETAINED_LIMIT, "used heap " + used + " bytes after 10,000 encoders on 8 pool threads");
    }

    @Test
    void tenThousandEncodersOnVirtualThreadsRetainABoundedHeap() throws Exception {
        assumeTrue(EncoderLifetime.virtualThreadsAvailable(),
                "virtual threads need JDK 21+, this is " + Runtime.version() + " (CI runs this on JDK 25)");
        long used = EncoderLifetime.runChild("virtual", provider(), 10_000);
        assertTrue(used < RETAINED_LIMIT, "used heap " + used + " bytes after 10,000 encoders on virtual threads");
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean b = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(b instanceof com.sun.management.ThreadMXBean && ((com.sun.management.ThreadMXBean) b)
                .isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes per thread");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) b;
        bean.setThreadAllocatedMemoryEnabled(true);
        return bean;
    }

    /** The allocation tests' shape: 50 descriptors of D = 32, K = 64. */
    private static final int ALLOC_N = 50;
    private static final int ALLOC_D = 32;

    private static float[] allocDescriptors(long seed) {
        return SyntheticDescriptors.generate(seed, ALLOC_N, ALLOC_D, 8);
    }

    private static DiagonalGmm allocModel(float[] x) {
        return TestModels.fromData(x, ALLOC_N, ALLOC_D, 64, 1, 0.5);
    }

    @Test
    void encodingAllocatesNothingOnAPlatformThreadAfterTheFirstCalls() {
        com.sun.management.ThreadMXBean bean = threadBean();
        int n = ALLOC_N;
        float[] x = allocDescriptors(5);
        FisherEncoder e = builder(allocModel(x)).improved().build();
        float[] out = new float[e.length()];
        GmmStatistics stats = e.newStatistics();
        long tid = Thread.currentThread().getId();
        long last = -1;
        // Rounds until the JIT has compiled the path (the Vector API boxes in the interpreter); on a
        // loaded machine that can take a while, hence a time limit rather than a round count.
        long deadline = System.nanoTime() + 120_000_000_000L;
        for (int round = 0; last != 0 && (round < 20 || System.nanoTime() < deadline); round++) {
            long before = bean.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100; i++) {
                e.encode(x, 0, n, out, 0);
                stats.reset();
                e.accumulate(x, 0, n, stats);
                e.encode(stats, out, 0);
            }
            last = bean.getThreadAllocatedBytes(tid) - before;
        }
        assertEquals(0, last, "bytes allocated by 100 x (encode, accumulate, encode statistics) after warm-up");
    }

    @Test
    void buildMakesTheFirstCallsScratchSpace() {
        com.sun.management.ThreadMXBean bean = threadBean();
        int n = ALLOC_N;
        float[] x = allocDescriptors(6);
        DiagonalGmm model = allocModel(x);
        builder(model).build(); // the model's own derived arrays, made once per model
        long tid = Thread.currentThread().getId();
        for (FisherForm form : FisherForm.values()) {
            long b0 = bean.getThreadAllocatedBytes(tid);
            FisherEncoder e = builder(model).form(form).improved().build();
            long b1 = bean.getThreadAllocatedBytes(tid);
            float[] out = new float[e.length()];
            long b2 = bean.getThreadAllocatedBytes(tid);
            e.encode(x, 0, n, out, 0);
            long b3 = bean.getThreadAllocatedBytes(tid);
            // The space (statistics, 4KD doubles of vector parts, the kernel) is ~100 KB here; a
            // first call that made it would allocate as much as build() did.
            assertTrue(b1 - b0 > 64 * 1024, form + ": build() allocated only " + (b1 - b0) + " bytes");
            assertTrue(b3 - b2 < (b1 - b0) / 8, form + ": the first encode allocated " + (b3 - b2)
                    + " bytes, build() " + (b1 - b0));
        }
    }

    @Test
    void encodingAllocatesNothingPerCallOnVirtualThreads() throws Exception {
        assumeTrue(EncoderLifetime.virtualThreadsAvailable(),
                "virtual threads need JDK 21+, this is " + Runtime.version() + " (CI runs this on JDK 25)");
        com.sun.management.ThreadMXBean bean = threadBean();
        int d = 32;
        int k = 64;
        int n = 50;
        float[] x = SyntheticDescriptors.generate(6, n, d, 8);
        FisherEncoder e = builder(TestModels.fromData(x, n, d, k, 1, 0.5)).improved().build();
        float[] expected = e.encode(x, n);
        float[] out = new float[e.length()];
        AtomicLong sink = new AtomicLong();
        // One virtual thread per call, as a server does; the same task without the encode is the baseline,
        // so what is left is what encode allocates per call (a workspace is about 65 KB here).
        Runnable encode = () -> e.encode(x, 0, n, out, 0);
        Runnable baseline = sink::incrementAndGet;
        for (int i = 0; i < 3000; i++) {
            e.encode(x, 0, n, out, 0); // compile the path first
        }
        int tasks = 2000;
        double perCall = Double.NaN;
        for (int round = 0; round < 5 && !(perCall < 256); round++) {
            long base = allocatedByVirtualThreads(bean, baseline, tasks);
            long withEncode = allocatedByVirtualThreads(bean, encode, tasks);
            perCall = (double) (withEncode - base) / tasks;
        }
        assertTrue(perCall < 256, "encode on a fresh virtual thread allocates " + perCall + " bytes per call");
        assertArrayEquals(expected, e.encode(x, n));
    }

    /** JDK 21+ API (this test only runs there); called reflectively so the tests compile with --release 17. */
    private static long totalAllocatedBytes(com.sun.management.ThreadMXBean bean) throws Exception {
        return (Long) com.sun.management.ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes").invoke(bean);
    }

    private static long allocatedByVirtualThreads(com.sun.management.ThreadMXBean bean, Runnable task, int tasks)
            throws Exception {
        long before = totalAllocatedBytes(bean);
        ExecutorService ex = EncoderLifetime.virtualThreadPerTask();
        for (int i = 0; i < tasks; i++) {
            ex.execute(task);
        }
        ex.shutdown();
        assertTrue(ex.awaitTermination(1, TimeUnit.MINUTES), "virtual threads did not finish");
        return totalAllocatedBytes(bean) - before;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }
}
