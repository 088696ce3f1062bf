package dev.fvec.spi;

/**
 * Receives the kept posterior terms of a kernel call, for statistics the kernel does not hold
 * itself (the spatial moments of SPEC.md, "Spatial layout", need {@code q_nk} per descriptor).
 *
 * <p>A kernel calls {@link #add} once for every {@code (n, k)} term it adds to the statistics, with
 * the posterior it added, in descriptor order (the components of one descriptor in any order, but
 * the same order on every run); terms a kernel skips as exactly zero need not be reported. Calls
 * come from the thread that called the kernel.
 */
@FunctionalInterface
public interface KeptTermSink {

    /**
     * One kept term.
     *
     * @param descriptor the descriptor's index within the call, {@code 0 <= descriptor < count}
     * @param component the component {@code k}
     * @param posterior the posterior {@code q_nk} the kernel added (1 for hard assignment)
     */
    void add(int descriptor, int component, double posterior);
}
