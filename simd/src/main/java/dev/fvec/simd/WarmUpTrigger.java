package dev.fvec.simd;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Starts a background warm-up once the scalar twin has done enough work to pay for it (the kernel's
 * and the projection's warm-ups each own one): after {@code firstStart} units of twin work in all,
 * and, when an attempt ran out of its budget, again after twice as much. Only in the
 * {@code background} mode of {@code fvec.simd.warmup}. Thread-safe.
 */
final class WarmUpTrigger {

    private final String threadName;
    private final BooleanSupplier warmUp; // runs the warm-up in the calling thread; true when warm
    private final AtomicLong twinWork = new AtomicLong();
    private volatile long nextStart;
    private volatile boolean started;

    WarmUpTrigger(long firstStart, String threadName, BooleanSupplier warmUp) {
        this.nextStart = firstStart;
        this.threadName = threadName;
        this.warmUp = warmUp;
    }

    /** Whether a warm-up thread runs or has succeeded (for tests). */
    boolean started() {
        return started;
    }

    /** Adds {@code work} units of twin work; starts the warm-up thread when they reach the threshold. */
    void twinWorked(long work) {
        if (started || !VectorWarmUp.MODE.equals("background")) {
            return;
        }
        if (twinWork.addAndGet(work) < nextStart) {
            return;
        }
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
        }
        Thread t = new Thread(() -> {
            if (!warmUp.getAsBoolean()) { // out of budget (a busy machine): again after twice as much
                nextStart = 2 * Math.max(twinWork.get(), nextStart);
                started = false;
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }
}
