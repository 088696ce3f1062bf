package dev.fvec;

import dev.fvec.spi.KernelProvider;
import java.util.ServiceLoader;

/**
 * Chooses the {@link KernelProvider} encoders and trainers use by default.
 *
 * <p>The Vector API kernel ({@code fvec-simd} on the class path or module path, found with
 * {@link ServiceLoader}) is chosen when it reports itself usable: the {@code jdk.incubator.vector}
 * module is present ({@code --add-modules jdk.incubator.vector}), the JIT is C2, FMA is available
 * and the preferred float species has at least 128 bits. Otherwise the scalar reference is used.
 * The decision is taken once, logged once (with how to enable SIMD when it falls back), and can
 * be forced with {@code -Dfvec.kernel=scalar} or {@code -Dfvec.kernel=simd}; any other value, or
 * forcing {@code simd} where it cannot run, throws.
 */
public final class Kernels {

    /** The system property that forces a kernel: {@code scalar} or {@code simd}. */
    public static final String PROPERTY = "fvec.kernel";

    private static final System.Logger LOG = System.getLogger("dev.fvec");
    private static volatile KernelProvider chosen;

    private Kernels() {
    }

    /** The scalar reference provider; always available. */
    public static KernelProvider scalar() {
        return ScalarKernel.PROVIDER;
    }

    /**
     * The SIMD provider, when {@code fvec-simd} is on the path (usable or not: see
     * {@link KernelProvider#unavailableReason()}), else {@code null}.
     */
    public static KernelProvider simdOrNull() {
        for (KernelProvider p : ServiceLoader.load(KernelProvider.class, Kernels.class.getClassLoader())) {
            if (p.name().equals("simd")) {
                return p;
            }
        }
        return null;
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalArgumentException if the name is neither {@code scalar} nor {@code simd}
     * @throws IllegalStateException if it is {@code simd} and the SIMD kernel cannot run here
     */
    public static KernelProvider byName(String name) {
        if ("scalar".equals(name)) {
            return scalar();
        }
        if (!"simd".equals(name)) {
            throw new IllegalArgumentException("unknown kernel '" + name + "': expected 'scalar' or 'simd'");
        }
        KernelProvider simd = simdOrNull();
        if (simd == null) {
            throw new IllegalStateException("the simd kernel was requested but dev.fvec:fvec-simd is not on the class path");
        }
        String why = simd.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the simd kernel was requested but cannot run: " + why);
        }
        return simd;
    }

    /**
     * The default provider: decided on first call (honouring {@value #PROPERTY}), then cached.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} has an unknown value
     * @throws IllegalStateException if {@value #PROPERTY} is {@code simd} and SIMD cannot run
     */
    public static KernelProvider provider() {
        KernelProvider p = chosen;
        if (p == null) {
            synchronized (Kernels.class) {
                p = chosen;
                if (p == null) {
                    p = choose();
                    chosen = p;
                }
            }
        }
        return p;
    }

    /**
     * Warms up the default kernel ({@link #provider()}), so that the first encodings and EM
     * iterations run at full speed instead of paying for the JIT. Optional: without it the first
     * calls are merely slower. Idempotent and thread-safe; call it once at start-up, e.g. while a
     * service is not yet taking requests. See {@link KernelProvider#warmUp()} for what it costs.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} has an unknown value
     * @throws IllegalStateException if {@value #PROPERTY} is {@code simd} and SIMD cannot run
     */
    public static void warmUp() {
        provider().warmUp();
    }

    static KernelProvider choose() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isEmpty()) {
            KernelProvider p = byName(forced);
            LOG.log(System.Logger.Level.INFO, "fvec: " + p.name() + " kernel (forced by -D" + PROPERTY + "=" + forced + ")");
            return p;
        }
        KernelProvider simd = simdOrNull();
        String why = simd == null ? "dev.fvec:fvec-simd is not on the class path" : simd.unavailableReason();
        if (why == null) {
            LOG.log(System.Logger.Level.INFO, "fvec: simd kernel (" + simd + ")");
            return simd;
        }
        LOG.log(System.Logger.Level.INFO, "fvec: scalar kernel, because " + why
                + ". To enable SIMD, add dev.fvec:fvec-simd and run Java 17+ (HotSpot) with "
                + "--add-modules jdk.incubator.vector");
        return scalar();
    }
}
