package dev.fvec.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tail latency of one encode with 1 and 2 concurrent callers sharing one encoder (issue 7, item 5).
 * JMH's sample mode times individual calls and reports percentiles (p50, p90, p99, p99.9, ...,
 * max); with 2 callers both threads' samples are pooled.
 *
 * <p>p99.9 needs thousands of samples to mean anything: at ~1 ms per call, each 1 s measurement
 * iteration gives ~1000, so measure for 10 s or more (run.sh uses 10 x 1 s).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar TailLatencyBench -p kernel=simd -i 10
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TailLatencyBench {

    @Benchmark
    @Threads(1)
    public float[] oneCaller(SharedEncoder shared, Caller caller) {
        return caller.encodeNext(shared);
    }

    @Benchmark
    @Threads(2)
    public float[] twoCallers(SharedEncoder shared, Caller caller) {
        return caller.encodeNext(shared);
    }
}
