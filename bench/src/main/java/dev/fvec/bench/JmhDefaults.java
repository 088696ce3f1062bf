package dev.fvec.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run settings every fvec benchmark shares unless its own class says otherwise: one fork with the
 * Vector API module, 3 x 1 s warm-up, 5 x 1 s measurement. JMH reads these annotations up the class
 * hierarchy, and a subclass's own annotation wins.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class JmhDefaults {
}
