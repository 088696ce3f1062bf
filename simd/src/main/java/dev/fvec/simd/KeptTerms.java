package dev.fvec.simd;

import dev.fvec.GmmStatistics;
import dev.fvec.spi.KeptTermSink;
import dev.fvec.spi.StatisticsAccess;
import java.util.Arrays;

/**
 * The kept-term accumulator: queues each kept term (component, posterior, descriptor) of a batch
 * of descriptors, then adds them component by component into centred float windows, and flushes
 * the windows into the double statistics.
 *
 * <h2>Why a queue</h2>
 * The windows of all components ({@code 2 K Dpad} floats) outgrow L1, and read-modify-writing a
 * window row per term was bound by L2 traffic. Queued by component (each component's terms in a
 * bucket of its own, in descriptor order), the batch's terms let each row be read and written once
 * per batch and held in registers while the batch's descriptors (read in place, or copies with
 * zero tails where {@code D < Dpad}; see {@link #rows}) are added. Each component still receives
 * its terms in descriptor order, so the float sums are bit for bit those of adding the terms as
 * they came (and do not depend on where batches end). The buckets replaced one queue in
 * descriptor order and a counting sort of it by component (three passes over the terms) per batch.
 *
 * <h2>Centred windows</h2>
 * {@code S1}, {@code S2} are accumulated in float centred on the component mean,
 * {@code sum q (x - mu)} and {@code sum q (x - mu)^2}, over at most {@value #FLUSH_TERMS} terms per
 * component, then flushed into the double {@link GmmStatistics} as raw moments
 * ({@code S1 += C1 + mu W}, {@code S2 += C2 + 2 mu C1 + mu^2 W}, {@code W} the double sum of the
 * same posteriors). Centring keeps the float error on the scale of the variance rather than of
 * {@code mu^2}, so the Fisher vector's {@code s2 - 2 mu s1 + mu^2 s0} does not amplify it; the
 * window keeps it near {@code 1e-6} relative.
 *
 * <p>Not thread-safe; owned by one kernel.
 */
final class KeptTerms {

    /**
     * Descriptors per batch at most; their padded copies take {@code BATCH_DESCRIPTORS x Dpad}
     * floats. Larger batches give each component more terms per visit of its window row: 128
     * measured clearly better than 32 and 64 when descriptors were copied; with them read in place,
     * 256 against 128 (JarAB, Zen 5, 512 bits, t = 1e-6): golden 0.966-0.972, t = 0 0.947,
     * 64 x 256 0.987 (E-step 0.983), 64 x 1024 0.968; the golden model keeps ~3.7 terms per
     * descriptor over 256 components, so a batch of 128 gave each window row under 2 terms per
     * visit. Fewer for long descriptors that are copied ({@code D < Dpad}), so the copies stay
     * within {@value #BATCH_FLOATS} floats; read in place, every D takes the full batch (D = 128
     * had 128 too until session 25; with {@link #BUCKET_TERMS} 64: 128 x 64 t = 1e-6 0.969-0.979,
     * t = 0 0.949).
     */
    static final int BATCH_DESCRIPTORS = 256;
    static final int BATCH_FLOATS = 16384;
    /**
     * Queued terms per component and batch, at most; a batch ends early rather than overflow. Each
     * component's terms are queued in a row of this many (its bucket): no sort by component. 64
     * against 32 (JarAB, Zen 5, 512 bits): 64 x 256 t = 1e-6 0.958-0.974 (18.7 kept terms per
     * descriptor: a batch of 256 queues ~19 per component on average, so buckets of 32 ended
     * batches early), t = 0 0.970, 64 x 1024 0.977, E-step 0.983-0.992; golden 0.992-0.995, hard
     * 1.005 (one term per descriptor: no change).
     */
    static final int BUCKET_TERMS = 64;
    /** Float terms summed per component before flushing into double: keeps the error ~1e-6 relative. */
    static final int FLUSH_TERMS = 128;

    private final PackedModel model;
    private final int k;
    private final int d;
    private final int dpad;
    private final int batchRows; // descriptors per batch: a multiple of the kernel's block
    // Where the queued terms' descriptors are read (Lanes#addToWindows): where D = Dpad, in place
    // in the call's x (a batch never outlives its call: accumulate adds the queue before it
    // returns, then lets go of x); otherwise copied into 'copies', batchRows rows of Dpad with zero
    // tails. Reading in place, one copy per descriptor less: 2.1% of an encode at D = 64, K = 256
    // (golden), 4.3% at D = 128, K = 64 (JarAB, the copy left out).
    private final boolean inPlace;
    private final float[] copies; // null in place
    private final int[] slotRow; // batchRows: each slot's row in 'rows'
    private float[] rows; // the call's x in place, else copies
    private final int bucketTerms; // terms per bucket
    // K buckets of bucketTerms: the queued terms, per component in descriptor order, each as its
    // descriptor's row in 'rows' and its posterior's bits side by side (see Lanes#addToWindows):
    // one cache line per queued term rather than two (a float and an int array), which the
    // log-likelihood pass, streaming the model (128 KB at K = 256, D = 64), has evicted from L1
    // since the block before. One JVM, both alternating, t = 1e-6 (Zen 5, 512 bits): encode
    // 64x256x1000 706-714 vs 720-738 us, 64x1024x1000 2880-3646 vs 3007-3856, 128x64x2000 754
    // vs 767; t = 0 706 vs 740 (64x256).
    private final int[] buckets;
    private final int[] bucketCount; // K: terms in each bucket
    private final float[][] centred1; // K rows of Dpad: sum q (x - mu) since the last flush
    private final float[][] centred2; // K rows of Dpad: sum q (x - mu)^2 since the last flush
    private final double[] weight; // K: sum q since the last flush
    private final int[] windowTerms; // K: terms since the last flush

    private final int[] slotDescriptor; // batchRows: the descriptor (index in the call) in each slot
    private KeptTermSink sink; // null: no one wants the terms
    private int callOffset; // the call's offset in x, to turn a row into a descriptor index

    private int batchDescriptors; // slots in use
    private int fullest; // the most terms in one bucket

    KeptTerms(PackedModel model, int block) {
        this.model = model;
        this.k = model.k;
        this.d = model.d;
        this.dpad = model.dpad;
        this.inPlace = d == dpad;
        this.batchRows = inPlace ? BATCH_DESCRIPTORS : Math.max(block, Math.min(BATCH_DESCRIPTORS, BATCH_FLOATS / dpad) / block * block);
        this.copies = inPlace ? null : new float[batchRows * dpad];
        this.rows = copies;
        this.slotRow = new int[batchRows];
        for (int i = 0; i < batchRows; i++) {
            slotRow[i] = i * dpad;
        }
        this.slotDescriptor = new int[batchRows];
        this.bucketTerms = Math.max(BUCKET_TERMS, 2 * block);
        this.buckets = new int[2 * k * bucketTerms];
        this.bucketCount = new int[k];
        this.centred1 = new float[k][dpad];
        this.centred2 = new float[k][dpad];
        this.weight = new double[k];
        this.windowTerms = new int[k];
    }

    /**
     * Takes the descriptor at {@code x[row]} into the batch's next slot (in place, or a copy) and
     * returns that slot (which its terms name).
     */
    int add(float[] x, int row) {
        int slot = batchDescriptors++;
        if (sink != null) { // an integer division: only when someone listens
            slotDescriptor[slot] = (row - callOffset) / d;
        }
        if (inPlace) {
            rows = x;
            slotRow[slot] = row;
        } else {
            System.arraycopy(x, row, copies, slot * dpad, d);
        }
        return slot;
    }

    /**
     * Queues the term of posterior {@code q} of the descriptor in slot {@code slot} for {@code comp};
     * returns the terms now in its bucket, which the caller passes on to {@link #noteFullest} (the
     * largest of a descriptor's, once): a running maximum in a field would be a store-to-load chain
     * through every kept term.
     */
    int queue(int comp, float q, int slot) {
        int n = bucketCount[comp]++;
        int t = 2 * (comp * bucketTerms + n);
        buckets[t] = slotRow[slot];
        buckets[t + 1] = Float.floatToRawIntBits(q);
        if (sink != null) {
            // The posterior as queued: the twin and the vector lanes queue the same floats in the same order.
            sink.add(slotDescriptor[slot], model.component[comp], q);
        }
        return n + 1;
    }

    /** Records that a bucket holds {@code terms} terms (see {@link #queue} and {@link #makeRoom}). */
    void noteFullest(int terms) {
        fullest = Math.max(fullest, terms);
    }

    /**
     * Reports the kept terms of the coming call, whose descriptors start at {@code x[offset]}, to
     * {@code sink} ({@code null}: to no one) as they are queued.
     */
    void reportTo(KeptTermSink sink, int offset) {
        this.sink = sink;
        this.callOffset = offset;
    }

    /** Adds the queued terms when the next {@code block} descriptors might not fit the batch. */
    void makeRoom(int block, GmmStatistics stats, Lanes lanes) {
        // A descriptor queues at most one term per component. One branch for both limits (the max
        // is a conditional move), not two: the warm-up's calls fill buckets but never a batch's
        // rows, so C2 compiled that test as never true, and the warm-up's real-shape calls, whose
        // batches do fill, hit the trap (unstable_if at this method's bci 10, inlined into block
        // and accumulate) and threw away both compiles: 20 more warm-up rounds and two C2
        // recompiles (LogCompilation, JDK 17).
        if (Math.max(batchDescriptors + block - batchRows, fullest + block - bucketTerms) > 0) {
            addQueued(stats, lanes);
        }
    }

    /**
     * Adds every queued term to its component's window, component by component, each in descriptor
     * order, flushing a window when it reaches {@value #FLUSH_TERMS} terms; empties the batch.
     */
    void addQueued(GmmStatistics stats, Lanes lanes) {
        int[] counts = bucketCount;
        for (int comp = 0; comp < k; comp++) {
            int start = comp * bucketTerms;
            int end = start + counts[comp];
            while (start < end) {
                int stop = Math.min(end, start + FLUSH_TERMS - windowTerms[comp]);
                weight[comp] = lanes.addToWindows(model.muRows[comp], rows, buckets, start, stop, centred1[comp], centred2[comp],
                        weight[comp]);
                windowTerms[comp] += stop - start;
                if (windowTerms[comp] == FLUSH_TERMS) {
                    flush(comp, stats);
                }
                start = stop;
            }
            counts[comp] = 0;
        }
        fullest = 0;
        batchDescriptors = 0;
        rows = copies; // in place: no hold on the caller's x past its call
    }

    /** Flushes every non-empty window (at the end of a call). */
    void flushAll(GmmStatistics stats) {
        for (int c = 0; c < k; c++) {
            if (windowTerms[c] != 0) {
                flush(c, stats);
            }
        }
    }

    /** Moves component {@code comp}'s centred float window into the raw double statistics. */
    private void flush(int comp, GmmStatistics stats) {
        double[] s0 = StatisticsAccess.s0(stats);
        double[] s1 = StatisticsAccess.s1(stats);
        double[] s2 = StatisticsAccess.s2(stats);
        double w = weight[comp];
        int of = model.component[comp]; // comp is a lane position (see PackedModel#component)
        s0[of] += w;
        float[] muRow = model.muRows[comp];
        float[] c1 = centred1[comp];
        float[] c2 = centred2[comp];
        int ob = of * d;
        for (int j = 0; j < d; j++) {
            double mu = muRow[j];
            double m1 = c1[j];
            double m2 = c2[j];
            s1[ob + j] += m1 + mu * w; // sum q x = sum q (x - mu) + mu sum q
            s2[ob + j] += m2 + mu * (2 * m1 + mu * w); // sum q x^2 = sum q (x - mu)^2 + 2 mu sum q (x - mu) + mu^2 sum q
        }
        Arrays.fill(c1, 0f);
        Arrays.fill(c2, 0f);
        weight[comp] = 0;
        windowTerms[comp] = 0;
    }
}
