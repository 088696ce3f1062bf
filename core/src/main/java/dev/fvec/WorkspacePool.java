package dev.fvec;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A small lock-free pool of per-call scratch spaces, the one behind {@link FisherEncoder} and
 * {@link SpatialEncoder}: at most {@link FisherEncoder#POOL_SLOTS} kept; a borrow with every slot empty makes a new one, and a
 * give-back with every slot full drops it. Nothing is tied to a thread. Thread-safe.
 */
final class WorkspacePool<W> {

    private final AtomicReferenceArray<W> slots = new AtomicReferenceArray<>(FisherEncoder.POOL_SLOTS);
    private final Supplier<W> maker;

    WorkspacePool(Supplier<W> maker) {
        this.maker = maker;
    }

    /**
     * Makes one scratch space and keeps it: the encoders call this when they are built, so that
     * their first call does not pay for its scratch (and a kernel that cannot be made fails at
     * {@code build()}).
     */
    void prepare() {
        giveBack(maker.get());
    }

    /** A scratch space from the slot nearest the thread's start slot, or a new one. */
    W borrow() {
        int n = FisherEncoder.POOL_SLOTS;
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = start + i < n ? start + i : start + i - n;
            if (slots.get(slot) != null) {
                W w = slots.getAndSet(slot, null);
                if (w != null) {
                    return w;
                }
            }
        }
        return maker.get();
    }

    /** Puts a scratch space back in the first free slot from the thread's start; drops it when none is free. */
    void giveBack(W w) {
        int n = FisherEncoder.POOL_SLOTS;
        int start = startSlot(n);
        for (int i = 0; i < n; i++) {
            int slot = start + i < n ? start + i : start + i - n;
            if (slots.get(slot) == null && slots.compareAndSet(slot, null, w)) {
                return;
            }
        }
    }

    private static int startSlot(int n) {
        // Thread.getId is deprecated from JDK 19 (for threadId), but is what JDK 17 has; ids are unique.
        long id = Thread.currentThread().getId();
        return (int) (((id * 0x9E3779B97F4A7C15L) >>> 32) % n);
    }
}
