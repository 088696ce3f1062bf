package dev.fvec.simd;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.SplittableRandom;

/**
 * Gets the Vector API lanes compiled before they serve calls, and says when they are.
 *
 * <h2>Why</h2>
 * Uncompiled Vector API code is very slow (the interpreter and C1 run each vector operation as a
 * Java loop over lanes, allocating): a fresh JVM's first encode of 1000 x 64 descriptors against
 * K = 256 took about 1.2 s on the vector lanes, against about 1.5 ms once C2 has compiled them.
 * Plain float array code, as in the scalar twin ({@link ScalarLanes}), is fast in C1 and C2 alike.
 * So {@link SimdKernel#auto} kernels run on the twin until this class reports the vector lanes
 * warm, then switch. Twin and vector lanes give bitwise the same results, so no output depends on
 * when the switch happens.
 *
 * <h2>How</h2>
 * Two phases (and a third, below), measured (PrintCompilation, allocation counters) rather than guessed:
 * <ol>
 *   <li>The lanes: many small calls (a 3-group model, 5 descriptors, every sparsity mode) on
 *       {@link SimdKernel#warmingUp} kernels, which run the vector lanes on the very code path of
 *       auto kernels (a warm-up on {@link SimdKernel#vector} kernels left the auto kernels'
 *       lane-choice branch untaken, so C2's code trapped on their first call). The lanes are
 *       compiled once a round of calls allocates nothing: uncompiled Vector API code boxes every
 *       vector, C2's code allocates nothing. (Where the JDK has no allocation counter, the round is
 *       timed against the twin instead: uncompiled vector code takes 4-300x its time.)</li>
 *   <li>The code around them at a real shape: calls through {@link FisherEncoder} on a K = 250,
 *       D = 64 model, 263 descriptors (batches that fill mid-call, windows that flush mid-batch),
 *       every sparsity mode, a new encoder every few rounds (a user's first call makes its kernel), until
 *       the encode path's hot methods ({@link #ENCODE_PATH}) have C2 code, read from HotSpot's code
 *       list ({@link CompiledMethods}), and the compile queue is empty; while their compiles wait in
 *       the queue the thread sleeps instead of competing with C2, and while the kernel's own are
 *       pending, phase 1's small calls follow each round (they bring {@code accumulate}, invoked
 *       once per call, to C2's thresholds about 3x faster per CPU time). Stopping at the first idle JIT
 *       (as before, and still where the code list cannot be read) returned, on the busy machine,
 *       while {@code accumulate}, {@code block}, {@code flushAll}, {@code Normalisation.finish} and
 *       {@code fisherNormalised} had not reached C2's thresholds yet: an idle JIT says nothing is
 *       queued, not that nothing will be. C2 then compiled them during the first real calls
 *       (PrintCompilation): the first call 2.6-26 ms, 3-31x the steady state.</li>
 * </ol>
 * Then a third, once the lanes are compiled: seeded pruning's own methods ({@link #seededPhase});
 * auto kernels prune only after it ({@link #isSeededWarm()}). And where a model of 4 to 7 groups of
 * lanes is in use, a fourth: the gathered groups' ({@link #gatheredPhase}, {@link #isGatheredWarm()}),
 * in {@link SimdKernelProvider#warmUp()} when such a model's encoder was built before it (else they
 * serve unpruned).
 * While it runs, {@link WarmUpDirectives} keeps C2 from compiling the Vector API's own methods on
 * their own (the uncompiled lanes' fallbacks, hot long before the lanes), and phase 1 adds, every
 * {@value #FULL_BATCH_EVERY} rounds, two calls that fill a component's window and a batch's term
 * queue, so that C2's code for {@link KeptTerms} has those branches (they trapped in phase 2).
 * A warm-up that spends its budget ({@link #BUDGET_NANOS} of its thread's CPU time, more while it
 * makes progress: {@link #MAX_BUDGET_NANOS}) in phase 1 leaves the vector lanes off; it then runs
 * the twin on the auto kernels' path instead, so that the twin, which serves them, is compiled.
 * The background warm-up starts on a daemon thread after {@link #TWIN_WORK_BEFORE_WARM_UP} terms of
 * twin work; {@link SimdKernelProvider#warmUp()} runs it (or waits for it) in the caller's thread.
 */
final class VectorWarmUp {

    /**
     * The warm-up's budget of its thread's CPU time; past it, the vector lanes stay off (the twin
     * serves), unless phase 1 is still making progress (see {@link #MAX_BUDGET_NANOS}).
     */
    static final long BUDGET_NANOS = 800_000_000L;
    /** {@link #MAX_BUDGET_NANOS} over {@link #BUDGET_NANOS}: how far any warm-up's budget stretches while it progresses. */
    static final int BUDGET_MULTIPLE = 3;
    /**
     * How far phase 1 may go past {@link #BUDGET_NANOS} while it makes progress: one of the last
     * {@value #PROGRESS_ROUNDS} rounds was cheap (the lanes compiled, only per-call boxes left),
     * allocated less than every round before it, or saw a compile finish (C2 compiling the lanes
     * piece by piece). On a VM slower than the one the budget was set on (JVM start 3x, the
     * compiled kernel 1.2x), the uncompiled rounds alone took 650 ms of the 800, phase 1 ran out
     * of budget with every round still boxing, and the first calls after warmUp() ran 10x the
     * steady state. A JVM without C2 never gets here ({@link SimdKernelProvider} refuses it);
     * where nothing moves for {@value #PROGRESS_ROUNDS} rounds, the warm-up stops at the budget
     * as before.
     */
    static final long MAX_BUDGET_NANOS = BUDGET_MULTIPLE * BUDGET_NANOS;
    /**
     * Rounds without a cheap round, a new lowest allocation or a finished compile after which phase
     * 1 counts as stalled (past the budget).
     */
    static final int PROGRESS_ROUNDS = 16;
    /** Phase 2's CPU time at least, whatever phase 1 used: the lanes are compiled then, what is left is bounded. */
    static final long PHASE2_MIN_NANOS = 400_000_000L;

    /** {@code fvec.simd.warmup}: {@code background} (default), {@code off} (the twin serves for ever), {@code none} (vector lanes from the first call). */
    static final String MODE = System.getProperty("fvec.simd.warmup", "background");

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final boolean DEBUG = Boolean.getBoolean("fvec.simd.warmup.debug");
    private static volatile boolean warm = MODE.equals("none");
    /** Whether auto kernels run seeded pruning (see {@link #seededPhase}). */
    private static volatile boolean seededWarm = MODE.equals("none");
    /**
     * Whether auto kernels of gathered groups ({@link GroupGeometry#MIN_GATHERED_GROUPS} to
     * {@link GroupGeometry#MIN_GROUPS} groups of lanes) prune: their own methods are compiled (see
     * {@link #gatheredPhase}). Until then they run unpruned, as every model of so few groups did
     * before gathered groups (bitwise the same outputs either way).
     */
    private static volatile boolean gatheredWarm = MODE.equals("none");
    /** Whether an auto kernel of gathered groups was made: only then does their warm-up run. */
    private static volatile boolean gatheredWanted;
    /**
     * Terms (descriptors x Kpad x D) the twin computes before the background warm-up starts: 524
     * encodes of 1000 x 64 against K = 256 (16.4M terms each), about 0.85 s of twin CPU time, a
     * little below what the warm-up itself costs (~1-1.5 s of CPU in all, its thread and C2's).
     * Measured on the 2-core Zen 5 machine at 512 bits: the twin takes ~1.6 ms of CPU per such
     * encode since its two-dimension passes and cache-line-filling rows (9af2a0a, fbb6b42; ~2 ms
     * when this threshold was chosen), the vector lanes about half that. (So by the rental
     * argument below the warm-up now starts a little early; the threshold was left as it was
     * measured.) Starting it at once made `fvec encode` of 300 such files cost 3.3 s of CPU instead of
     * 1.8 s; starting it after this much work bounds the overhead for any job length (the rental
     * argument: the warm-up is bought once the twin's extra cost could have paid for it), and a
     * short job never pays for it. Services that want the vector lanes at once call
     * {@link SimdKernelProvider#warmUp()}.
     */
    static final long TWIN_WORK_BEFORE_WARM_UP = 1L << 33;
    /** Held while a warm-up runs (and by tests that must not see its compiler directive come and go). */
    static final Object LOCK = new Object();
    /** Counts the descriptor x component x dimension terms the twin computes in auto kernels. */
    private static final WarmUpTrigger TRIGGER = new WarmUpTrigger(TWIN_WORK_BEFORE_WARM_UP, "fvec-simd-warm-up", () -> {
        ensureWarm();
        return warm;
    });

    /** Statistics of the last warm-up, for the harnesses: rounds run and nanoseconds spent. */
    static volatile int rounds;
    static volatile long spentNanos;

    private VectorWarmUp() {
    }

    /** Whether {@link SimdKernel#auto} kernels run on the vector lanes. */
    static boolean isWarm() {
        return warm;
    }

    /** Whether {@link SimdKernel#auto} kernels on the vector lanes prune (seeded pruning's methods are compiled). */
    static boolean isSeededWarm() {
        return seededWarm;
    }

    /** Whether {@link SimdKernel#auto} kernels of gathered groups prune (see {@link #gatheredPhase}). */
    static boolean isGatheredWarm() {
        return gatheredWarm;
    }

    /**
     * {@link SimdKernelProvider#warmUp()}: {@link #ensureWarm}, then, where an auto kernel of
     * gathered groups has been made (an encoder of such a model built before this call), their own
     * warm-up too. A kernel made later does not start it: started at once on a daemon thread (a
     * service that had warmed up first, then built its encoder), it ran during the service's first
     * calls, their p99 3.5-6.0 ms against 0.64-0.81 (E2eFirstCalls, K = 64, D = 128, Temurin 25,
     * 3 JVMs each); started after enough unpruned work to pay for it (the rental argument of
     * {@link #TWIN_WORK_BEFORE_WARM_UP}), the count's branch in {@code SimdKernel.accumulate}, never
     * taken by the warm-up's kernels, was compiled as a trap that every such kernel's first call
     * hit. Such kernels serve unpruned, as every model of so few groups did before.
     */
    static void warmUpAsked() {
        ensureWarm();
        if (gatheredWanted) {
            ensureGatheredWarm();
        }
    }

    /**
     * Called when an auto kernel of gathered groups is made: from then on {@link #warmUpAsked} runs
     * their warm-up. Processes whose models have other numbers of groups never pay for it.
     */
    static void gatheredKernelMade() {
        gatheredWanted = true;
    }

    /**
     * Runs the gathered groups' warm-up ({@link #gatheredPhase}) in this thread unless it has run
     * and succeeded, once seeded pruning is warm; waits if another thread is running a warm-up.
     */
    private static void ensureGatheredWarm() {
        if (gatheredWarm || !GroupGeometry.GATHERS || !seededWarm) {
            return;
        }
        synchronized (LOCK) {
            if (!gatheredWarm) {
                gatheredWarm = underDirective(VectorWarmUp::gatheredPhase);
            }
        }
    }

    /**
     * Called by an auto kernel when it is created (work 0) and after each call served by the twin
     * ({@code work} = descriptors x Kpad x D): starts the warm-up on a daemon thread after
     * {@link #TWIN_WORK_BEFORE_WARM_UP} terms. A warm-up that runs out of budget (the JIT's queue
     * was long, the machine busy) is tried again after twice as much twin work in all.
     */
    static void twinWorked(long work) {
        if (!warm) {
            TRIGGER.twinWorked(work);
        }
    }

    /**
     * Runs the warm-up in this thread unless the lanes are warm; waits if another thread is running
     * it. Returns when the lanes are warm or the warm-up has spent its budget. Does nothing under
     * {@code -Dfvec.simd.warmup=off}, whose promise is that the twin serves for ever (as
     * {@link ProjectionWarmUp#ensureWarm} does; an explicit warm-up used to switch the lanes on).
     */
    static void ensureWarm() {
        if (warm || MODE.equals("off")) {
            return;
        }
        synchronized (LOCK) {
            if (!warm) {
                // Out of budget, the vector lanes stay off: uncompiled, they would be far slower than the twin.
                warm = underDirective(VectorWarmUp::run);
            }
        }
    }

    /**
     * Runs {@code phase} while {@link WarmUpDirectives} keeps C2 for the lanes, not the Vector
     * API's fallbacks; returns what it returns.
     */
    private static boolean underDirective(java.util.function.BooleanSupplier phase) {
        long added = DEBUG ? cpuNanos() : 0;
        WarmUpDirectives directives = WarmUpDirectives.add();
        if (DEBUG) {
            System.err.printf("fvec warm-up: compiler directive %s in %.0f ms CPU%n",
                    directives == null ? "not added" : "added", (cpuNanos() - added) / 1e6);
        }
        try {
            return phase.getAsBoolean();
        } finally {
            boolean removed = directives != null && directives.remove();
            if (DEBUG) {
                System.err.printf("fvec warm-up: compiler directive %s%n",
                        directives == null ? "not added" : removed ? "removed" : "left in place");
            }
        }
    }

    /** Runs warm-up rounds; true when the vector lanes proved compiled within the budget. */
    private static boolean run() {
        long start = cpuNanos();
        long waitEnd = System.nanoTime() + JIT_WAIT_NANOS; // the most wall time spent waiting for the JIT
        long processStart = DEBUG ? processCpuNanos() : 0;
        // Phase 1, the vector lanes: small calls (each uncompiled one is cheap) that take every
        // branch, straight to the kernels (the encoder's own code is for phase 2, at a real shape).
        DiagonalGmm smallModel = smallModel();
        Sparsity[] modes = {Sparsity.threshold(1e-6), Sparsity.none(), Sparsity.hard(), Sparsity.threshold(1e-4)};
        StatisticsKernel[] kernels = new StatisticsKernel[modes.length];
        StatisticsKernel[] twins = new StatisticsKernel[modes.length];
        GmmStatistics[] stats = new GmmStatistics[modes.length];
        for (int i = 0; i < modes.length; i++) {
            kernels[i] = SimdKernel.warmingUp(smallModel, modes[i]);
            twins[i] = SimdKernel.auto(smallModel, modes[i]); // the twin, on the auto kernels' path, until warm
            stats[i] = GmmStatistics.forModel(smallModel);
        }
        float[] xSmall = descriptorsNear(smallModel, SMALL_DESCRIPTORS, false, 12345);
        DiagonalGmm oneComponent = model(1, smallModel.dimension(), new double[] {0}, VectorLanes.LANES, 4321);
        StatisticsKernel fullWindow = SimdKernel.warmingUp(oneComponent, Sparsity.threshold(1e-6));
        GmmStatistics fullWindowStats = GmmStatistics.forModel(oneComponent);
        float[] xFullWindow = descriptorsNearFirst(oneComponent, FULL_WINDOW_DESCRIPTORS, 2468);
        DiagonalGmm manyComponents = model(FULL_QUEUE_COMPONENTS, smallModel.dimension(), new double[] {0}, VectorLanes.LANES, 1357);
        StatisticsKernel fullQueue = SimdKernel.warmingUp(manyComponents, Sparsity.none());
        GmmStatistics fullQueueStats = GmmStatistics.forModel(manyComponents);
        float[] xFullQueue = descriptorsNearFirst(manyComponents, FULL_QUEUE_DESCRIPTORS, 8642);
        int r = 0;
        int fastRounds = 0;
        boolean compiled = false;
        boolean progressing = false;
        Progress progress = new Progress();
        while (!compiled && withinBudget(cpuNanos() - start, BUDGET_NANOS, progressing)) {
            long a0 = allocatedBytes();
            long t0 = cpuNanos();
            smallRound(kernels, xSmall, stats);
            long t1 = cpuNanos();
            long a1 = allocatedBytes();
            if (r % FULL_BATCH_EVERY == FULL_BATCH_EVERY / 2) { // outside the measured round: the verdict stays the small calls'
                fullWindow.accumulate(xFullWindow, 0, FULL_WINDOW_DESCRIPTORS, fullWindowStats);
                fullQueue.accumulate(xFullQueue, 0, FULL_QUEUE_DESCRIPTORS, fullQueueStats);
            }
            if (a0 >= 0) {
                // Uncompiled Vector API code boxes every vector; C2's code allocates nothing.
                long boxes = a1 - a0 - ALLOCATION_PROBE_BYTES;
                compiled = boxes <= 0; // a box is at least 80 bytes; the probe's own allocation is not one
                progressing = progress.round(r, boxes, t1 - t0);
                // C2's code for the lanes can keep a few boxes per call for a while (24 KB a round, on
                // JDK 25 and 17, for up to ~300 rounds of 40 calls, about 0.06 ms each) until a callee
                // left as a call to the Java fallback is compiled too; those rounds are cheap.
            } else {
                // No allocation counter (jdk.management absent): time the same calls on the twin, which
                // is fast from the start; uncompiled vector code takes 4-300x as long, compiled about as long.
                long twin = -cpuNanos();
                smallRound(twins, xSmall, stats);
                twin += cpuNanos();
                fastRounds = r >= 2 && t1 - t0 <= 2 * twin ? fastRounds + 1 : 0;
                compiled = fastRounds >= 2;
            }
            if (DEBUG) {
                System.err.printf("fvec warm-up round %d: %d x %d descriptors, %.3f ms CPU, %d B allocated%n", r,
                        SMALL_CALLS, SMALL_DESCRIPTORS, (t1 - t0) / 1e6, a1 - a0);
            }
            r++;
            if (!compiled && r >= PACE_AFTER_ROUNDS && t1 - t0 > CHEAP_ROUND_NANOS && System.nanoTime() - waitEnd < 0) {
                // The calls have queued the lanes' compilations: let the JIT work through its queue
                // (on a busy machine more rounds only compete with it for the CPU, and a long C2 queue
                // raises the call counts that get the lanes themselves queued). Not after a cheap
                // round (see CHEAP_ROUND_NANOS): only more calls help then.
                waitForIdleJit(Math.min(waitEnd, System.nanoTime() + PACE_NANOS));
            }
        }
        if (DEBUG) {
            System.err.printf("fvec warm-up: lanes %s after %.0f ms CPU (process: %.0f ms)%n",
                    compiled ? "compiled" : "not compiled", (cpuNanos() - start) / 1e6, (processCpuNanos() - processStart) / 1e6);
        }
        if (!compiled) {
            // The twin serves the auto kernels then: compile it on their path (cheap calls: plain
            // Java, fast from C1 on), so that their first calls do not run it in the interpreter.
            for (int i = 0; i < TWIN_ROUNDS; i++) {
                smallRound(twins, xSmall, stats);
            }
            DiagonalGmm model = realisticModel();
            FisherEncoder[] real = encoders(model, true);
            float[] x = descriptorsNear(model, REAL_DESCRIPTORS, true, 54321);
            realRound(real, x, REAL_DESCRIPTORS, REAL_CALLS);
        }
        if (compiled) {
            // Phase 2, everything around the lanes at a real shape's loop trip counts, through the
            // encoder as users call it: rounds until the encode path's hot methods have their C2 code
            // (CompiledMethods; while their compiles are queued, the thread sleeps rather than compete
            // with C2 for the CPU), then until the JIT's queue is empty. Where the code list cannot be
            // read: rounds until they allocate nothing, then until the JIT, given time, finds nothing
            // more to compile after a round. Waiting costs no CPU, and the lanes are compiled already,
            // so the kernels switch even when the budget runs out first.
            DiagonalGmm model = realisticModel();
            FisherEncoder[] real = encoders(model, false);
            float[] x = descriptorsNear(model, REAL_DESCRIPTORS, true, 54321);
            int length = 0;
            for (FisherEncoder e : real) {
                length = Math.max(length, e.length());
            }
            float[] out = new float[length];
            CompiledMethods watched = WATCH_COMPILES ? CompiledMethods.open(ENCODE_PATH) : null;
            long phase2WaitEnd = System.nanoTime() + JIT_WAIT_NANOS; // phase 1's pacing may have used up its waits
            int lastPoll = -POLL_EVERY;
            boolean pumping = true;
            long lastPollCompiling = -2;
            long phase2End = Math.max(BUDGET_NANOS, cpuNanos() - start + PHASE2_MIN_NANOS);
            for (int i = 0; cpuNanos() - start < phase2End; i++) {
                // A new encoder every few rounds (its first call makes its kernel: the packed model, the
                // scratch arrays): a user's first call does that too, and it ran in C1 code (C2 OSR-
                // compiled PackedModel's constructor during the first real calls).
                // (Its first call here, outside the round, whose allocation test would count the new arrays.)
                if (i % NEW_ENCODER_EVERY == 0) {
                    int e = i / NEW_ENCODER_EVERY % real.length;
                    FisherEncoder fresh = encoders(model, false)[e];
                    fresh.encode(x, 0, SimdKernel.BLOCK + 1, out, 0);
                    real[e] = fresh;
                }
                boolean noBoxes = realRound(real, x, REAL_DESCRIPTORS, REAL_CALLS);
                r++;
                if (pumping) {
                    // accumulate is invoked once per call: the real calls (~0.4 ms each here) bring it
                    // to C2's thresholds (i + b >= 15,000) slowly; phase 1's small calls on the same
                    // method, compiled now, count about 3x as much per CPU time.
                    for (int k = 0; k < PUMP_SMALL_ROUNDS; k++) {
                        smallRound(kernels, xSmall, stats);
                    }
                }
                if (!noBoxes || i + 1 < MIN_REAL_ROUNDS) {
                    continue;
                }
                // Reading the code list costs about a round (~4 ms of this thread's CPU, 1500 lines
                // printed by the VM): every few rounds, and only when a compile finished meanwhile.
                long compiling = compilationMillis();
                if (watched != null && (i - lastPoll < POLL_EVERY || compiling >= 0 && compiling == lastPollCompiling)) {
                    continue;
                }
                lastPoll = i;
                lastPollCompiling = compiling;
                long p0 = DEBUG ? cpuNanos() : 0;
                String pending = watched == null ? null : watched.pending();
                pumping = pending != null && pending.contains(".SimdKernel.");
                if (DEBUG && pending != null) {
                    System.err.printf("fvec warm-up: not yet in C2 after round %d (%.2f ms CPU to read): %s%n", i,
                            (cpuNanos() - p0) / 1e6, pending);
                }
                if (pending == null) {
                    if (waitForIdleJit(waitEnd) == 0 || System.nanoTime() - waitEnd >= 0) {
                        break;
                    }
                } else if (pending.isEmpty()) {
                    // Compiled: let the compiles the rounds queued meanwhile finish before the first real calls.
                    waitForQuietQueue(watched, phase2WaitEnd);
                    break;
                } else if (!watched.queueEmpty() && System.nanoTime() - phase2WaitEnd < 0) {
                    waitForIdleJit(Math.min(phase2WaitEnd, System.nanoTime() + PACE_NANOS));
                }
            }
        }
        if (compiled) {
            seededWarm = seededPhase();
        }
        if (DEBUG) {
            System.err.printf("fvec warm-up: done after %.0f ms CPU (process: %.0f ms)%n", (cpuNanos() - start) / 1e6,
                    (processCpuNanos() - processStart) / 1e6);
        }
        rounds = r;
        spentNanos = cpuNanos() - start;
        return compiled;
    }

    /**
     * Whether a warm-up loop with this {@code budget} may run another round after {@code spent}
     * nanoseconds of its thread's CPU: below the budget, or below {@link #BUDGET_MULTIPLE} times
     * it while {@code progressing} ({@link ProjectionWarmUp} extends its own budget
     * alike).
     */
    static boolean withinBudget(long spent, long budget, boolean progressing) {
        return spent < budget || progressing && spent < BUDGET_MULTIPLE * budget;
    }

    /**
     * Each call also runs the encoder's input check ({@link SimdKernel#firstNonFinite}, which
     * {@code FisherEncoder.accumulate} calls before the kernel's, and {@code encode} where a value
     * is not finite): once per encode in phase 2 only (as it was then), its
     * vector code was sometimes not even in C1 when the warm-up last read the code list, and the
     * first real calls ran it interpreted (3.5-5 ms each instead of 0.9, 64x256x1000, Temurin 25).
     */
    private static void smallRound(StatisticsKernel[] kernels, float[] x, GmmStatistics[] stats) {
        for (int i = 0; i < SMALL_CALLS; i++) {
            StatisticsKernel kernel = kernels[i % kernels.length];
            if (kernel.firstNonFinite(x, 0, x.length) >= 0) {
                throw new IllegalStateException("the warm-up's descriptors are not finite");
            }
            kernel.accumulate(x, 0, SMALL_DESCRIPTORS, stats[i % kernels.length]);
        }
    }

    /**
     * A full block of descriptors ({@link SimdKernel#BLOCK}, which share each pass over the model)
     * and a tail of 3. With 5 (one block of 4 and a tail, before the kernel's blocks grew to 8 at
     * 512 bits) the 8-descriptor block path stayed uncompiled through phase 1, and phase 2 ran it
     * uncompiled at the real shape: 4 rounds of 75-200 ms of CPU each, 450-570 MB allocated per
     * round, the warm-up 670 ms of its thread's CPU instead of about 300.
     */
    private static final int SMALL_DESCRIPTORS = SimdKernel.BLOCK + 1;
    private static final int SMALL_CALLS = 40;
    /** Calls per round of phase 3 on the clustered model whose seeded batches pay (see seededPhase). */
    private static final int SEEDED_CALLS = 8;
    /** Calls per round of the gathered groups' phase on its model whose seeded batches pay (see gatheredPhase). */
    private static final int GATHERED_CALLS = 2;
    /**
     * Descriptors per phase-3 call that pays: two blocks and a tail, each block near 5 clusters (two
     * pairs of groups and a single one per block, computed: the pair's method, the largest, gets
     * the most calls per CPU time; with one pair per call it was still in C1 after 600 ms on JDK 17).
     */
    private static final int SEEDED_DESCRIPTORS = 2 * SimdKernel.BLOCK + 1;
    /** Phase 3's budget of its thread's CPU time, up to {@link #BUDGET_MULTIPLE} times it while it progresses (see {@link #withinBudget}). */
    static final long SEEDED_BUDGET_NANOS = 1_000_000_000L;
    private static final int MIN_SEEDED_ROUNDS = 20;
    /** The longest wall time phase 3 waits for the JIT when its costly rounds stall (once; see seededPhase). */
    private static final long SEEDED_WAIT_NANOS = 1_000_000_000L;
    /** Phase 3's rounds where allocation cannot be measured. */
    private static final int SEEDED_ROUNDS_UNMEASURED = 400;
    /**
     * Every {@value #FULL_BATCH_EVERY} rounds, one call of a whole batch of descriptors on a
     * one-component model: its component's float window fills mid-batch ({@link KeptTerms}' flush
     * inside {@code addQueued}), which the small calls never do. Without it C2 compiled
     * {@code addQueued} in phase 1 with that branch as never taken, the first call of phase 2 took
     * it (an {@code unstable_if} trap), and C2 compiled the method twice more (OSR, then whole):
     * 5 compiles of it in all, 0.2-0.3 s of C2's CPU time (LogCompilation, 2-core Zen 5, JDK 17).
     * One component keeps the call cheap uncompiled (one group of lanes instead of three).
     */
    private static final int FULL_WINDOW_DESCRIPTORS = KeptTerms.FLUSH_TERMS + SimdKernel.BLOCK + 1;
    /**
     * Rounds between the full-window and full-queue calls, from round 4 on: by then the kernel's
     * methods have profiles (tier 3 code) that record the branches they take; once taken, a branch
     * is compiled as code rather than as a trap. Every 4 rounds cost too much of the budget on
     * the busy machine (lanes compiled after 690 ms of the thread's CPU, once not within the 800 ms).
     */
    private static final int FULL_BATCH_EVERY = 8;
    /**
     * With the full-window call, one on a 128-component model (the small model's D) keeping every
     * posterior ({@link Sparsity#none()}): its components' term buckets fill before its descriptor
     * rows do ({@code KeptTerms.makeRoom}'s second test), which only the real shape of phase 2 did before:
     * an {@code unstable_if} trap there threw away C2's code for {@code SimdKernel.block} (makeRoom
     * inlined), compiled again after it (LogCompilation, JDK 17).
     */
    private static final int FULL_QUEUE_COMPONENTS = 128;
    private static final int FULL_QUEUE_DESCRIPTORS =
            Math.max(KeptTerms.BUCKET_TERMS, 2 * SimdKernel.BLOCK) + SimdKernel.BLOCK + 1;
    /** A full batch and a tail, so that batches fill mid-call and windows flush mid-batch. */
    private static final int REAL_DESCRIPTORS = KeptTerms.BATCH_DESCRIPTORS + 7;
    private static final int REAL_CALLS = 8;
    private static final int MIN_REAL_ROUNDS = 4;
    /** Phase 2's small rounds (as phase 1's) after each round while the kernel's methods are not in C2. */
    private static final int PUMP_SMALL_ROUNDS = 4;
    /** Phase 2 makes a new encoder every this many rounds: each costs about a round's CPU time while uncompiled. */
    private static final int NEW_ENCODER_EVERY = 3;
    /** Phase 2 reads the code list after at least this many rounds since it last did. */
    private static final int POLL_EVERY = 3;
    /**
     * The encode path's methods that must have C2 code before the warm-up returns (HotSpot's names,
     * {@code package.Class.method}): those C2 was still compiling during the first real calls when
     * phase 2 stopped at the first idle JIT (PrintCompilation, JDK 17, the 2-core Zen 5 under load).
     * A name that is not found (renamed, or not on the path) is not waited for, silently: a test
     * ({@code CompiledMethodsTest}) checks that each names a method that exists. The input check's
     * {@code finitePrefix} is {@code FisherEncoder.accumulate}'s (an encode checks within the
     * kernel's pass since session 24, and calls it only to name a bad value); the small rounds
     * call it.
     */
    static final String[] ENCODE_PATH = {
        "dev.fvec.simd.SimdKernel.accumulate", "dev.fvec.simd.SimdKernel.block", "dev.fvec.simd.KeptTerms.addQueued",
        "dev.fvec.simd.KeptTerms.flushAll", "dev.fvec.Normalisation.finish", "dev.fvec.FisherForm.fisherNormalised",
        "dev.fvec.simd.VectorLanes.finitePrefix",
    };
    /** {@code fvec.simd.warmup.watch=false}: phase 2 stops at the first idle JIT, as before (for comparisons). */
    private static final boolean WATCH_COMPILES = Boolean.parseBoolean(System.getProperty("fvec.simd.warmup.watch", "true"));

    /** Longest wall time the warm-up waits for the JIT in phase 1 (and again in phase 2). */
    private static final long JIT_WAIT_NANOS = 3_000_000_000L;
    private static final long IDLE_STEP_MILLIS = 30;
    private static final int PACE_AFTER_ROUNDS = 4;
    /** Small rounds on the twin when the lanes did not compile: ~2000 calls, tens of ms once compiled. */
    private static final int TWIN_ROUNDS = 50;
    private static final long PACE_NANOS = 90_000_000L;
    /**
     * A phase-1 round at most this costly (its thread's CPU) runs compiled lanes: 0.2-0.5 ms, against
     * 6-70 ms for rounds that box (JDK 17, 2-core Zen 5). Such rounds still box a little (~100 KB a
     * round) until the per-call methods, {@code SimdKernel.accumulate} and {@code VectorLanes.finitePrefix},
     * invoked once a call, reach C2's invocation thresholds (PrintCompilation: both compiled at the
     * very end of phase 1), which only more calls bring; pacing those rounds with waits for an idle
     * JIT made up most of the warm-up's wall time (120-200 such rounds, 40-90 waits of 30 ms or
     * more: phase 1 took ~3 s of wall time for ~0.5 s of its thread's CPU).
     */
    private static final long CHEAP_ROUND_NANOS = 2_000_000L;

    /**
     * Sleeps in steps of {@value #IDLE_STEP_MILLIS} ms until the JIT is idle (a step in which no
     * compilation finished and the process's hidden threads, the compiler threads among them, used
     * at most a third of the step's CPU time) or {@link System#nanoTime()} passes {@code until}.
     * Returns the busy steps: 0 when the JIT was idle at once.
     *
     * <p>Hidden, not the whole process: in the background warm-up the application's threads keep
     * running (the twin serving calls), so with the whole process counted a step was never idle
     * and every pacing wait ran to its end. Measured at load 9 on the 2-core machine, a fresh JVM
     * calling an auto kernel (D 64, K 256, 1024 descriptors a call) without warmUp(): both
     * background attempts on JDK 25 and the first on JDK 17 ran out of budget with every round
     * still boxing (5-8 MB a round; PrintCompilation on 25: the lanes' methods at tiers 2 and 3
     * only, C2 busy with the Vector API's Java fallback and the kernel's methods recompiled after uncommon
     * traps), so the twin served for good (25) or until the second attempt (17). With this test
     * the waits end when only the compiler is idle; in one run of the same on JDK 25 both attempts
     * still ran out of budget (the C2 queue is the limit there). The twin serves meanwhile, at its
     * own speed, and no output depends on it.
     */
    private static int waitForIdleJit(long until) {
        for (int step = 0; System.nanoTime() - until < 0; step++) {
            long c0 = compilationMillis();
            long p0 = hiddenCpuNanos();
            try {
                Thread.sleep(IDLE_STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            long c1 = compilationMillis();
            long p1 = hiddenCpuNanos();
            boolean idle = c1 == c0 && (p0 < 0 || p1 < 0 || p1 - p0 <= IDLE_STEP_MILLIS * 1_000_000 / 3);
            if (DEBUG) {
                System.err.printf("fvec warm-up wait: %d ms compiling, %.1f ms hidden threads' CPU in %d ms%n", c1 - c0,
                        (p1 - p0) / 1e6, IDLE_STEP_MILLIS);
            }
            if (idle) {
                return step;
            }
        }
        return Integer.MAX_VALUE; // still busy at the deadline
    }

    /** Sleeps in steps until the JIT's queues are empty and a step finished no compile, or until {@code until}. */
    private static void waitForQuietQueue(CompiledMethods watched, long until) {
        while (System.nanoTime() - until < 0) {
            long c0 = compilationMillis();
            boolean empty = watched.queueEmpty();
            if (empty && waitForIdleJit(Math.min(until, System.nanoTime() + 2 * IDLE_STEP_MILLIS * 1_000_000)) == 0) {
                return;
            }
            if (!empty) {
                try {
                    Thread.sleep(IDLE_STEP_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (DEBUG) {
                System.err.printf("fvec warm-up: queue %s, %d ms compiling%n", empty ? "empty" : "busy", compilationMillis() - c0);
            }
        }
    }

    /**
     * Runs {@code calls} calls round the encoders; true when they allocated nothing (uncompiled
     * Vector API code boxes every vector, C2's code allocates nothing), or when that cannot be told.
     */
    private static boolean realRound(FisherEncoder[] encoders, float[] x, int n, int calls) {
        int length = 0;
        for (FisherEncoder e : encoders) {
            length = Math.max(length, e.length());
        }
        float[] out = new float[length];
        long t0 = cpuNanos();
        long a0 = allocatedBytes();
        for (int i = 0; i < calls; i++) {
            encoders[i % encoders.length].encode(x, 0, n, out, 0);
        }
        long a1 = allocatedBytes();
        long t1 = cpuNanos();
        if (DEBUG) {
            System.err.printf("fvec warm-up round: %d x %d descriptors, %.3f ms CPU, %d B allocated%n", calls, n,
                    (t1 - t0) / 1e6, a1 - a0);
        }
        return a0 < 0 || a1 - a0 <= ALLOCATION_PROBE_BYTES;
    }

    /**
     * The CPU time of the process's threads that {@link java.lang.management.ThreadMXBean} does not
     * list (HotSpot's compiler threads, GC and VM threads): the process's CPU time less that of the
     * live Java threads. -1 where the JDK cannot tell. A Java thread ending between two calls makes
     * its CPU time look hidden once (a busy step, so a longer wait, never a wrong result).
     */
    private static long hiddenCpuNanos() {
        long process = processCpuNanos();
        if (process < 0 || !THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadCpuTimeEnabled()) {
            return -1;
        }
        long visible = 0;
        for (long id : THREADS.getAllThreadIds()) {
            visible += Math.max(0, THREADS.getThreadCpuTime(id)); // -1: ended meanwhile
        }
        return process - visible;
    }

    /** The process's CPU time, or -1 where the JDK cannot tell ({@code jdk.management} absent). */
    private static long processCpuNanos() {
        return HotSpotBeans.PRESENT ? HotSpotBeans.processCpuNanos() : -1;
    }

    /**
     * Small, so that each uncompiled call is cheap, yet taking every branch real calls take, so
     * that C2's code does not hit an untaken path (an uncommon trap, back to the slow uncompiled
     * code) on the first real call: three groups of components, spread (each descriptor near one of
     * them has candidates there, and lanes below t), offset (about 25 nats from the first group's
     * descriptors and back: live, exp is not 0, but no posterior reaches t) and far (not live; the K
     * tail); a D tail at every width; a block and a tail descriptor. Not centred
     * ({@link PackedModel#uncentred}), where the full-window and full-queue models are: both of
     * {@code VectorLanes.logLikelihoodsOfRows}' ways (CentringChoiceTest checks it).
     */
    static DiagonalGmm smallModel() {
        int lanes = VectorLanes.LANES;
        return model(2 * lanes + 3, 17, new double[] {0, 1.6, 60}, lanes, 12345);
    }

    /**
     * Phase 3, seeded pruning ({@code SimdKernel#seededBatch}): its own methods (the groups' passes,
     * the seeds' radius and bounds) are compiled apart from the rest, after it, so that they cost
     * phase 1 nothing: run in phase 1 (8 calls a round on a clustered model), the uncompiled calls
     * took the lanes past their budget on JDK 17, and with fewer calls the methods were still in C1
     * when phase 1 ended. Rounds of calls on a clustered model, one kernel whose descriptors lie
     * near five clusters (the seeded batches pay; a block computes two pairs of groups and a single
     * one) and one whose descriptors spread over all clusters (they do not pay: its next batches
     * run unpruned), until a round allocates nothing ({@link #seededRounds}). Until then auto
     * kernels do not prune (their outputs are the same either way), and if it never comes they
     * never do. Returns whether the round came.
     */
    private static boolean seededPhase() {
        DiagonalGmm clustered = clusteredModel(GroupGeometry.MIN_GROUPS, 100);
        return clusteredRounds("seeded pruning", clustered, descriptorsNearFirst(clustered, 5, SEEDED_DESCRIPTORS, 9753), SEEDED_CALLS);
    }

    /**
     * The gathered groups' phase (models of {@link GroupGeometry#MIN_GATHERED_GROUPS} to
     * {@link GroupGeometry#MIN_GROUPS} groups of lanes; their seeds, per-group lists and passes),
     * after phase 3 and only where such a model is in use ({@link #warmUpAsked}): run within
     * phase 3 for every warm-up, it cost every service, whatever its model, 772-1113 against
     * 538-741 ms of the warm-up thread's CPU and 4.6-5.5 against 3.9-4.5 s of the process's
     * (E2eFirstCalls, K = 64, D = 128, Temurin 25, session 30). Rounds as phase 3's on a model of
     * {@link GroupGeometry#MIN_GATHERED_GROUPS} groups and a tail: one kernel whose descriptors lie
     * halfway between clusters ({@link #descriptorsBetween}: some need a gathered group, in a
     * padded block), one whose descriptors spread (they do not pay).
     */
    private static boolean gatheredPhase() {
        DiagonalGmm few = clusteredModel(GroupGeometry.MIN_GATHERED_GROUPS, GATHERED_SPACING);
        return clusteredRounds("gathered groups", few, descriptorsBetween(few, SEEDED_DESCRIPTORS, 7531), GATHERED_CALLS);
    }

    /**
     * {@link #seededRounds} of {@code calls} calls on {@code pays} ({@value #SEEDED_DESCRIPTORS}
     * descriptors whose seeded batches pay) and one on descriptors spread over the clusters (they
     * do not: the kernel's next batches rest), each on a vector kernel of {@code model} of its own.
     * Vector kernels: they prune whatever isSeededWarm() says (the warm-up's kernels, as auto ones,
     * wait for it).
     */
    private static boolean clusteredRounds(String what, DiagonalGmm model, float[] pays, int calls) {
        StatisticsKernel pay = SimdKernel.vector(model, Sparsity.threshold(1e-6));
        StatisticsKernel rest = SimdKernel.vector(model, Sparsity.threshold(1e-6));
        GmmStatistics stats = GmmStatistics.forModel(model);
        float[] spread = descriptorsNear(model, SMALL_DESCRIPTORS, false, 8642);
        return seededRounds(what, () -> {
            for (int i = 0; i < calls; i++) {
                pay.accumulate(pays, 0, SEEDED_DESCRIPTORS, stats);
            }
            rest.accumulate(spread, 0, SMALL_DESCRIPTORS, stats);
            stats.reset();
        });
    }

    /**
     * Runs {@code round} until a round allocates nothing (its vector code compiled), at least
     * {@link #MIN_SEEDED_ROUNDS} times, within {@link #SEEDED_BUDGET_NANOS} of this thread's CPU,
     * stretched while the rounds progress as phase 1's are, and stretched once more, after a wait
     * for an idle JIT, where costly rounds stopped progressing. Returns whether that round came.
     */
    private static boolean seededRounds(String what, Runnable round) {
        long start = cpuNanos();
        int count = 0;
        boolean done = false;
        boolean progressing = false;
        boolean waited = false;
        long lastRound = 0;
        Progress progress = new Progress();
        while (!done) {
            long spent = cpuNanos() - start;
            if (!withinBudget(spent, SEEDED_BUDGET_NANOS, progressing)) {
                if (waited || lastRound <= CHEAP_ROUND_NANOS || spent >= BUDGET_MULTIPLE * SEEDED_BUDGET_NANOS) {
                    break;
                }
                // Costly rounds (uncompiled code) that no longer progress: the JIT may be behind, as
                // in a slow phase of a shared machine, where one JVM of 11 on JDK 17 gave up after
                // 80 rounds of ~15 ms still boxing. Once: wait for an idle JIT (wall time, not this
                // thread's CPU), then rounds again while they progress.
                int busy = waitForIdleJit(System.nanoTime() + SEEDED_WAIT_NANOS);
                if (DEBUG) {
                    System.err.printf("fvec warm-up: %s rounds stalled after %d rounds, %.0f ms CPU; waited %d steps for the JIT%n",
                            what, count, spent / 1e6, busy);
                }
                waited = true;
                progress = new Progress();
                progressing = true;
            }
            long a0 = allocatedBytes();
            long t0 = cpuNanos();
            round.run();
            long t1 = cpuNanos();
            long a1 = allocatedBytes();
            done = a0 >= 0 ? a1 - a0 - ALLOCATION_PROBE_BYTES <= 0 && count + 1 >= MIN_SEEDED_ROUNDS : count + 1 >= SEEDED_ROUNDS_UNMEASURED;
            // Progress as in phase 1. Cheap rounds that still box a little wait for a per-block
            // method to reach C2's invocation thresholds: on JDK 17 seedRadii was still in C1 after
            // 1 s in 3 of 6 JVMs (about 250 rounds of ~0.8 ms, 160 KB each), and auto kernels then
            // never pruned.
            progressing = a0 >= 0 && progress.round(count, a1 - a0, t1 - t0);
            lastRound = t1 - t0;
            count++;
        }
        if (DEBUG) {
            System.err.printf("fvec warm-up: %s %s after %d rounds, %.0f ms CPU%n", what, done ? "compiled" : "not compiled",
                    count, (cpuNanos() - start) / 1e6);
        }
        return done;
    }

    /**
     * {@code groups} groups of lanes and a tail (an odd number of groups), D = 33, its components
     * in 9 clusters {@code spacing} standard deviations apart along the diagonal: at 100 every
     * descriptor near one needs its own group only; at {@link #GATHERED_SPACING} one halfway
     * between two needs both (see {@link #descriptorsBetween}).
     */
    private static DiagonalGmm clusteredModel(int groups, double spacing) {
        int k = groups * VectorLanes.LANES + 3;
        int d = 33;
        SplittableRandom rnd = new SplittableRandom(2468);
        float[] w = new float[k];
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        for (int c = 0; c < k; c++) {
            w[c] = 1f / k;
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = (float) (spacing * (c % 9) + rnd.nextDouble(-1, 1));
                var[c * d + j] = 1;
            }
        }
        float sum = 0;
        for (float v : w) {
            sum += v;
        }
        w[k - 1] += 1f - sum;
        return DiagonalGmm.of(w, mu, var);
    }

    /**
     * A model of the usual size (K = 250, D = 64: loops with the trip counts of real calls, and a
     * K tail at every width), its groups of components alternately near and far.
     */
    private static DiagonalGmm realisticModel() {
        return model(250, 64, new double[] {0, 1.6, 60}, VectorLanes.LANES, 777);
    }

    /** Components in groups of {@code lanes}, group {@code g} offset by {@code offsets[g % offsets.length]} (0: spread). */
    static DiagonalGmm model(int k, int d, double[] offsets, int lanes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] w = new float[k];
        float[] mu = new float[k * d];
        float[] var = new float[k * d];
        for (int c = 0; c < k; c++) {
            w[c] = 1f / k;
            double offset = offsets[(c / lanes) % offsets.length];
            for (int j = 0; j < d; j++) {
                mu[c * d + j] = (float) (offset == 0 ? rnd.nextDouble(-2, 2) : offset + rnd.nextDouble(-0.1, 0.1));
                var[c * d + j] = (float) (offset == 0 ? rnd.nextDouble(0.5, 1.5) : 1);
            }
        }
        float sum = 0;
        for (float v : w) {
            sum += v;
        }
        w[k - 1] += 1f - sum;
        return DiagonalGmm.of(w, mu, var);
    }

    /**
     * {@code n} descriptors, each near one component: of groups 0, 1 and the tail in turn (hard
     * assignment's search goes past group 0), or of random spread groups ({@code random}).
     */
    private static float[] descriptorsNear(DiagonalGmm model, int n, boolean random, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int lanes = VectorLanes.LANES;
        int k = model.components();
        int d = model.dimension();
        float[] mu = model.means();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int c = random ? 3 * lanes * rnd.nextInt(k / (3 * lanes)) + rnd.nextInt(lanes) // a group with offset 0
                    : (i % 3) * lanes + i % lanes % (i % 3 == 2 ? 3 : lanes);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = mu[c * d + j] + (float) rnd.nextDouble(-0.5, 0.5);
            }
        }
        return x;
    }

    /**
     * The gathered groups' clusters: 10 standard deviations apart in each dimension (about 40 in the
     * bounds' metric at D = 33), so that a descriptor halfway between two has both within the cut
     * (their log-likelihoods differ by about 17 nats, against 24 at t = 1e-6) while the others
     * lie thousands of nats below.
     */
    private static final double GATHERED_SPACING = 10;

    /**
     * {@code n} descriptors, descriptor {@code i} halfway between components {@code i % 4} and
     * {@code i % 4 + 1} (of {@link #clusteredModel}'s adjacent clusters): some need two groups, one
     * of them gathered where their block's seeds do not include it (1 or 2 gathered blocks per
     * call, padded, at 512, 256 and 128 bits alike; counted with a probe in session 30).
     */
    private static float[] descriptorsBetween(DiagonalGmm model, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = model.dimension();
        float[] mu = model.means();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            int a = i % 4;
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (mu[a * d + j] + mu[(a + 1) * d + j]) / 2 + (float) rnd.nextDouble(-0.5, 0.5);
            }
        }
        return x;
    }

    /** {@code n} descriptors near the model's first component, whatever the model's size. */
    private static float[] descriptorsNearFirst(DiagonalGmm model, int n, long seed) {
        return descriptorsNearFirst(model, 1, n, seed);
    }

    /** {@code n} descriptors, descriptor {@code i} near component {@code i % components}. */
    private static float[] descriptorsNearFirst(DiagonalGmm model, int components, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = model.dimension();
        float[] mu = model.means();
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = mu[i % components * d + j] + (float) rnd.nextDouble(-0.5, 0.5);
            }
        }
        return x;
    }

    /** Bytes this thread has allocated, or -1 where the JDK cannot tell ({@code jdk.management} absent). */
    private static long allocatedBytes() {
        return HotSpotBeans.PRESENT ? HotSpotBeans.bytes() : -1;
    }

    /** What {@link #allocatedBytes()} itself allocates between two calls, measured once. */
    private static final long ALLOCATION_PROBE_BYTES = probeBytes();

    private static long probeBytes() {
        long a = allocatedBytes();
        long b = allocatedBytes();
        return b - a;
    }

    /** The JIT's total compilation time so far, in ms, or -1 where the JVM does not say. */
    private static long compilationMillis() {
        java.lang.management.CompilationMXBean jit = JIT;
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    private static final java.lang.management.CompilationMXBean JIT = java.lang.management.ManagementFactory.getCompilationMXBean();

    /**
     * Whether a warm-up loop's rounds still make progress (see {@link #MAX_BUDGET_NANOS}): one of
     * the last {@value #PROGRESS_ROUNDS} rounds was cheap ({@link #CHEAP_ROUND_NANOS}: a single slow
     * round, a deoptimisation or the VM taking the core, ended a warm-up that had been cheap for 130
     * rounds), set a new low of allocation, or saw a compile finish (while C2 compiles a large lane
     * method the rounds' allocation stays flat for a while: with JFR recording, a plateau of 16
     * rounds ended a warm-up at 1.24 s). Phases 1 and 3 keep one each.
     */
    private static final class Progress {
        private long fewest = Long.MAX_VALUE;
        private int fewestAt;
        private int lastCheapAt = -PROGRESS_ROUNDS;
        private int lastCompileAt = -PROGRESS_ROUNDS;
        private long compiledMillis = compilationMillis();

        /** Records round {@code r} (its allocation, its thread's CPU time); returns whether the rounds progress. */
        boolean round(int r, long allocated, long cpuNanos) {
            if (allocated < fewest) {
                fewest = allocated;
                fewestAt = r;
            }
            if (cpuNanos <= CHEAP_ROUND_NANOS) {
                lastCheapAt = r;
            }
            long compiled0 = compiledMillis;
            compiledMillis = compilationMillis();
            if (compiledMillis != compiled0) {
                lastCompileAt = r;
            }
            return r - Math.max(fewestAt, Math.max(lastCheapAt, lastCompileAt)) < PROGRESS_ROUNDS;
        }
    }

    /** Holds the only reference to {@code com.sun.management}; loaded only when that module is there. */
    private static final class HotSpotBeans {
        static final boolean PRESENT = ModuleLayer.boot().findModule("jdk.management").isPresent() && supported();
        private static final java.lang.management.ThreadMXBean BEAN = THREADS;

        private static boolean supported() {
            try {
                return THREADS instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()
                        && t.isThreadAllocatedMemoryEnabled();
            } catch (LinkageError e) {
                return false;
            }
        }

        static long processCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean o ? o.getProcessCpuTime() : -1;
        }

        static long bytes() {
            return ((com.sun.management.ThreadMXBean) BEAN).getThreadAllocatedBytes(Thread.currentThread().getId());
        }
    }

    /** This thread's CPU time: the machine's other load does not count against the budget or the timings. */
    private static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * One encoder per sparsity mode (and each form), on warm-up kernels (auto kernels' code path,
     * vector lanes), or ({@code twin}) on auto kernels, which run the twin until the lanes are warm.
     */
    private static FisherEncoder[] encoders(DiagonalGmm model, boolean twin) {
        KernelProvider p = SimdKernelProvider.making(twin ? SimdKernel::auto : SimdKernel::warmingUp);
        return new FisherEncoder[] {
            FisherEncoder.builder(model).kernel(p).form(FisherForm.VLFEAT).improved().sparsity(Sparsity.threshold(1e-6)).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.GIST).sparsity(Sparsity.none()).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.SKIMAGE).improved().sparsity(Sparsity.hard()).build(),
            FisherEncoder.builder(model).kernel(p).form(FisherForm.VLFEAT).improved().sparsity(Sparsity.threshold(1e-4)).build(),
        };
    }
}
