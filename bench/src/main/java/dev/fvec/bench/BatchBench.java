package dev.fvec.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Batch throughput: images (sets of N descriptors) encoded per second by 1 and by 2 threads sharing
 * one encoder. With 2 threads JMH reports the sum over both. On a machine with 2 cores that other
 * work also uses, the 2-thread figure is an upper bound on what contention costs, not a scaling
 * curve.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar BatchBench -p kernel=simd
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BatchBench extends SharedEncoderCallers {
}
