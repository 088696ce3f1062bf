package dev.fvec.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

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
@Measurement(iterations = 10, time = 1)
public class TailLatencyBench extends SharedEncoderCallers {
}
