package dev.fvec.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The FMA peak at the kernel's vector width: 16 independent chains of {@code acc = fma(acc, a, b)}
 * on registers (no loads in the loop), enough to cover FMA latency x FMA units on current cores
 * (Zen 5: 2 FMA pipes x 4 cycles = 8 chains in flight). Score: nanoseconds per float FMA (one lane
 * of one vector FMA), so {@code 1 / score} is lane-FMAs per ns, the unit {@link LogLikelihoodBench}
 * is compared in. The width is the kernel's: {@code -Dfvec.simd.bits=128|256|512} via
 * {@code -jvmArgsAppend}, preferred otherwise.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar 'FmaPeakBench|LogLikelihoodBench' -p bits=preferred,256
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FmaPeakBench extends JmhDefaults {

    static final int ITERATIONS = 4096;
    static final int CHAINS = 16;
    static final int OPS = ITERATIONS * CHAINS;

    /**
     * {@code preferred} or a bit size, set as {@code fvec.simd.bits} before the kernel's classes
     * load (each parameter runs in its own fork), so one run measures every width.
     */
    @Param({"preferred"})
    public String bits;

    private float a;
    private float b;

    /** The species, a constant for C2: initialised on first use, after {@link #setup} set the width. */
    static final class Width {
        static final VectorSpecies<Float> SPECIES = species();

        static VectorSpecies<Float> species() {
            String bits = System.getProperty("fvec.simd.bits");
            return bits == null || bits.isEmpty() ? FloatVector.SPECIES_PREFERRED
                    : VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits.trim())));
        }
    }

    /** Sets {@code fvec.simd.bits} from {@code bits} (before anything reads it in this fork). */
    static void setWidth(String bits) {
        if (!bits.equals("preferred")) {
            System.setProperty("fvec.simd.bits", bits);
        }
    }

    @Setup
    public void setup() {
        setWidth(bits);
        a = 0.999999f;
        b = 1e-7f;
    }

    /** Per vector FMA (one FMA instruction at the species width). */
    @Benchmark
    @OperationsPerInvocation(OPS)
    public float fmaChains() {
        VectorSpecies<Float> species = Width.SPECIES;
        FloatVector va = FloatVector.broadcast(species, a);
        FloatVector vb = FloatVector.broadcast(species, b);
        // Distinct starting values, so that no chain is provably a copy of another.
        FloatVector c0 = FloatVector.broadcast(species, 1f);
        FloatVector c1 = FloatVector.broadcast(species, 1f + 1 / 64f);
        FloatVector c2 = FloatVector.broadcast(species, 1f + 2 / 64f);
        FloatVector c3 = FloatVector.broadcast(species, 1f + 3 / 64f);
        FloatVector c4 = FloatVector.broadcast(species, 1f + 4 / 64f);
        FloatVector c5 = FloatVector.broadcast(species, 1f + 5 / 64f);
        FloatVector c6 = FloatVector.broadcast(species, 1f + 6 / 64f);
        FloatVector c7 = FloatVector.broadcast(species, 1f + 7 / 64f);
        FloatVector c8 = FloatVector.broadcast(species, 1f + 8 / 64f);
        FloatVector c9 = FloatVector.broadcast(species, 1f + 9 / 64f);
        FloatVector c10 = FloatVector.broadcast(species, 1f + 10 / 64f);
        FloatVector c11 = FloatVector.broadcast(species, 1f + 11 / 64f);
        FloatVector c12 = FloatVector.broadcast(species, 1f + 12 / 64f);
        FloatVector c13 = FloatVector.broadcast(species, 1f + 13 / 64f);
        FloatVector c14 = FloatVector.broadcast(species, 1f + 14 / 64f);
        FloatVector c15 = FloatVector.broadcast(species, 1f + 15 / 64f);

        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
            c12 = c12.fma(va, vb);
            c13 = c13.fma(va, vb);
            c14 = c14.fma(va, vb);
            c15 = c15.fma(va, vb);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return s.lane(0) * species.length();
    }
}
