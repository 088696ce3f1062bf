package dev.fvec.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Threads;

/**
 * One and two threads calling one {@link SharedEncoder}, each cycling through its images
 * ({@link Caller}). {@link BatchBench} measures throughput, {@link TailLatencyBench} per-call latency,
 * with these same two benchmark methods.
 */
public abstract class SharedEncoderCallers extends JmhDefaults {

    @Benchmark
    @Threads(1)
    public float[] oneThread(SharedEncoder shared, Caller caller) {
        return caller.encodeNext(shared);
    }

    @Benchmark
    @Threads(2)
    public float[] twoThreads(SharedEncoder shared, Caller caller) {
        return caller.encodeNext(shared);
    }
}
