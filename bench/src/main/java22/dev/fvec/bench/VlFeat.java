package dev.fvec.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@code java.lang.foreign} bindings to the three functions of Debian's VLFeat 0.9.21
 * ({@code libvlfeat1}, {@code libvl.so.1}) the benchmarks need. Signatures from
 * {@code /usr/include/vl/fisher.h} and {@code generic.h}; on x86-64 Linux {@code vl_size} is
 * {@code unsigned long long} and {@code vl_type} is {@code vl_uint32}:
 *
 * <pre>
 * vl_size vl_fisher_encode(void *enc, vl_type dataType,
 *                          void const *means, vl_size dimension, vl_size numClusters,
 *                          void const *covariances, void const *priors,
 *                          void const *data, vl_size numData, int flags);
 * void    vl_set_num_threads(vl_size n);
 * vl_size vl_get_max_threads(void);
 * </pre>
 *
 * Layouts, from {@code vl/fisher.c}: {@code data[i * dimension + j]} (one descriptor after another,
 * i.e. MATLAB's "one column per descriptor"), {@code means} and {@code covariances}
 * {@code [k * dimension + j]}, covariances being variances (sigma squared); the output is
 * {@code 2 * dimension * numClusters} values, {@code [u_1 .. u_K | v_1 .. v_K]}. All of it the same
 * as fvec's. With {@code VL_TYPE_FLOAT} VLFeat computes in float throughout, posteriors included,
 * drops posteriors below {@code 1e-6} and skips components whose prior is below {@code 1e-6}; the
 * return value is the number of (descriptor, component) terms it kept.
 *
 * <p>VLFeat is built with OpenMP; {@code vl_set_num_threads} sets the calling thread's OpenMP
 * thread count, so every thread that encodes must call it.
 */
public final class VlFeat {

    /** How to get the library, for error messages. */
    public static final String INSTALL_HINT = "install Debian's VLFeat with `apt-get install libvlfeat1`"
            + " (or point -Dfvec.vlfeat.library at a libvl.so)";
    /** {@code VL_TYPE_FLOAT} from {@code vl/generic.h}. */
    public static final int VL_TYPE_FLOAT = 1;

    private final MethodHandle fisherEncode;
    private final MethodHandle setNumThreads;
    private final MethodHandle getMaxThreads;

    private VlFeat(SymbolLookup lib) {
        Linker linker = Linker.nativeLinker();
        fisherEncode = linker.downcallHandle(find(lib, "vl_fisher_encode"),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS,
                        ADDRESS, JAVA_LONG, JAVA_INT));
        setNumThreads = linker.downcallHandle(find(lib, "vl_set_num_threads"), FunctionDescriptor.ofVoid(JAVA_LONG));
        getMaxThreads = linker.downcallHandle(find(lib, "vl_get_max_threads"), FunctionDescriptor.of(JAVA_LONG));
    }

    /**
     * Loads {@code libvl.so.1} (or {@code -Dfvec.vlfeat.library}) for the life of the JVM.
     *
     * @throws IllegalStateException saying how to install it when it cannot be loaded
     */
    public static VlFeat load() {
        String name = System.getProperty("fvec.vlfeat.library", "libvl.so.1");
        try {
            return new VlFeat(SymbolLookup.libraryLookup(name, Arena.global()));
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            throw new IllegalStateException("VLFeat benchmarks skipped: cannot load " + name + " (" + e.getMessage()
                    + "); " + INSTALL_HINT, e);
        }
    }

    private static MemorySegment find(SymbolLookup lib, String symbol) {
        return lib.find(symbol).orElseThrow(() -> new IllegalStateException("VLFeat benchmarks skipped: "
                + symbol + " not found in the loaded libvl; " + INSTALL_HINT));
    }

    /** {@code vl_fisher_encode} with {@code VL_TYPE_FLOAT}; returns the number of terms kept. */
    public long fisherEncode(MemorySegment enc, MemorySegment means, long dimension, long numClusters,
            MemorySegment covariances, MemorySegment priors, MemorySegment data, long numData, int flags) {
        try {
            return (long) fisherEncode.invokeExact(enc, VL_TYPE_FLOAT, means, dimension, numClusters, covariances,
                    priors, data, numData, flags);
        } catch (Throwable t) {
            throw new IllegalStateException("vl_fisher_encode failed", t);
        }
    }

    /** {@code vl_set_num_threads(n)} for the calling thread. */
    public void setNumThreads(long n) {
        try {
            setNumThreads.invokeExact(n);
        } catch (Throwable t) {
            throw new IllegalStateException("vl_set_num_threads failed", t);
        }
    }

    /** {@code vl_get_max_threads()} as seen by the calling thread. */
    public long maxThreads() {
        try {
            return (long) getMaxThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("vl_get_max_threads failed", t);
        }
    }
}
