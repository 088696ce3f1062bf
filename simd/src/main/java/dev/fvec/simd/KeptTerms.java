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
 * window row per term was bound by L2 traffic. A stable counting sort of the batch's terms by
 * component lets each row be read and written once per batch and held in registers while the
 * batch's descriptors (copied, zero-padded, into {@link #xBatch}, in L1) are added. Each component
 * still receives its terms in descriptor order, so the float sums are bit for bit those of adding
 * the terms as they came.
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
     * measured clearly better than 32 and 64, and no worse than 256. Fewer for long descriptors, so
     * the copies stay within {@value #BATCH_FLOATS} floats.
     */
    static final int BATCH_DESCRIPTORS = 128;
    static final int BATCH_FLOATS = 16384;
    /** Queued terms per batch, at the least; a batch ends early rather than overflow. */
    static final int TERM_CAPACITY = 4096;
    /** Float terms summed per component before flushing into double: keeps the error ~1e-6 relative. */
    static final int FLUSH_TERMS = 128;

    private final PackedModel model;
    private final int k;
    private final int d;
    private final int dpad;
    private final int batchRows; // descriptors per batch: a multiple of the kernel's block
    private final float[][] xBatch; // batchRows rows of Dpad: the batch's descriptors, zero tails
    private final int[] termComp; // the queued terms of the batch, in descriptor order: component,
    private final float[] termQ; // posterior,
    private final int[] termSlot; // and the descriptor's row in xBatch
    private final int[] bucketStart; // K + 1: counting sort of the queued terms by component
    private final float[] sortedQ; // the queued terms, grouped by component (stable)
    private final int[] sortedSlot; // and their descriptor's row in xBatch
    private final float[][] centred1; // K rows of Dpad: sum q (x - mu) since the last flush
    private final float[][] centred2; // K rows of Dpad: sum q (x - mu)^2 since the last flush
    private final double[] weight; // K: sum q since the last flush
    private final int[] windowTerms; // K: terms since the last flush

    private final int[] slotDescriptor; // batchRows: the descriptor (index in the call) in each row of xBatch
    private KeptTermSink sink; // null: no one wants the terms
    private int callOffset; // the call's offset in x, to turn a row into a descriptor index

    private int batchDescriptors; // rows of xBatch in use
    private int queuedTerms;

    KeptTerms(PackedModel model, int block) {
        this.model = model;
        this.k = model.k;
        this.d = model.d;
        this.dpad = model.dpad;
        this.batchRows = Math.max(block, Math.min(BATCH_DESCRIPTORS, BATCH_FLOATS / dpad) / block * block);
        this.xBatch = new float[batchRows][dpad];
        this.slotDescriptor = new int[batchRows];
        int capacity = Math.max(TERM_CAPACITY, 2 * block * k);
        this.termComp = new int[capacity];
        this.termQ = new float[capacity];
        this.termSlot = new int[capacity];
        this.bucketStart = new int[k + 1];
        this.sortedQ = new float[capacity];
        this.sortedSlot = new int[capacity];
        this.centred1 = new float[k][dpad];
        this.centred2 = new float[k][dpad];
        this.weight = new double[k];
        this.windowTerms = new int[k];
    }

    /**
     * Copies the descriptor at {@code x[row]} into the batch's next row and returns that row (the
     * slot the descriptor's terms name).
     */
    int add(float[] x, int row) {
        int slot = batchDescriptors++;
        slotDescriptor[slot] = (row - callOffset) / d;
        System.arraycopy(x, row, xBatch[slot], 0, d);
        return slot;
    }

    /** Queues the term of posterior {@code q} of the descriptor in row {@code slot} for {@code comp}. */
    void queue(int comp, float q, int slot) {
        int t = queuedTerms++;
        termComp[t] = comp;
        termQ[t] = q;
        termSlot[t] = slot;
        if (sink != null) {
            // The posterior as queued: the twin and the vector lanes queue the same floats in the same order.
            sink.add(slotDescriptor[slot], comp, q);
        }
    }

    /**
     * Queues, in component order, the terms of the components {@code from <= comp < to} of the
     * descriptor in row {@code slot} whose {@code e = lp[base + comp]} is {@code >= cut}, with
     * posterior {@code e * inverseSum}; returns how many. Branch-free: each component's term is
     * written at the queue's end, which advances by 1 when it is kept and by 0 when not (whether a
     * term is kept follows the data in no pattern: the branch per term it replaces mispredicted
     * often enough to be 15% of an encode at D = 64, K = 256). The writes stay within the queue:
     * {@link #makeRoom} leaves room for {@code K} terms per descriptor.
     */
    int queueAtLeast(float[] lp, int base, int from, int to, float cut, float inverseSum, int slot) {
        int first = queuedTerms;
        int t = first;
        int[] comps = termComp;
        float[] qs = termQ;
        int[] slots = termSlot;
        for (int comp = from; comp < to; comp++) {
            float e = lp[base + comp];
            comps[t] = comp;
            qs[t] = e * inverseSum;
            slots[t] = slot;
            // e >= cut, as the sign bit of e - cut (+0 when equal; e and cut are >= 0, never NaN):
            // arithmetic, since C2 turned the comparison into a branch (kept in ~10% of lanes).
            t += 1 - (Float.floatToRawIntBits(e - cut) >>> 31);
        }
        queuedTerms = t;
        if (sink != null) {
            for (int i = first; i < t; i++) {
                sink.add(slotDescriptor[slot], comps[i], qs[i]);
            }
        }
        return t - first;
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
        if (batchDescriptors + block > batchRows || queuedTerms + block * k > termQ.length) {
            addQueued(stats, lanes);
        }
    }

    /**
     * Adds every queued term to its component's window, component by component, each in descriptor
     * order, flushing a window when it reaches {@value #FLUSH_TERMS} terms; empties the batch.
     */
    void addQueued(GmmStatistics stats, Lanes lanes) {
        int nt = queuedTerms;
        // Counting sort by component: bucketStart[c + 1] counts component c's terms, then
        // bucketStart[c] is where they go; the scatter advances it to their end, which is where
        // component c + 1's terms start.
        Arrays.fill(bucketStart, 0);
        for (int t = 0; t < nt; t++) {
            bucketStart[termComp[t] + 1]++;
        }
        for (int c = 0; c < k; c++) {
            bucketStart[c + 1] += bucketStart[c];
        }
        for (int t = 0; t < nt; t++) {
            int at = bucketStart[termComp[t]]++;
            sortedQ[at] = termQ[t];
            sortedSlot[at] = termSlot[t];
        }
        int start = 0;
        for (int comp = 0; comp < k; comp++) {
            int end = bucketStart[comp];
            while (start < end) {
                int stop = Math.min(end, start + FLUSH_TERMS - windowTerms[comp]);
                lanes.addToWindows(model.muRows[comp], xBatch, sortedSlot, sortedQ, start, stop, centred1[comp],
                        centred2[comp]);
                double w = weight[comp];
                for (int t = start; t < stop; t++) {
                    w += sortedQ[t];
                }
                weight[comp] = w;
                windowTerms[comp] += stop - start;
                if (windowTerms[comp] == FLUSH_TERMS) {
                    flush(comp, stats);
                }
                start = stop;
            }
        }
        queuedTerms = 0;
        batchDescriptors = 0;
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
        s0[comp] += w;
        float[] muRow = model.muRows[comp];
        float[] c1 = centred1[comp];
        float[] c2 = centred2[comp];
        int ob = comp * d;
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
