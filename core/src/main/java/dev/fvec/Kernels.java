package dev.fvec;

import dev.fvec.spi.KernelProvider;
import java.util.ServiceLoader;

/**
 * Chooses the kernel encoders and trainers use by default ({@link #choice()}).
 *
 * <p>The Vector API kernel ({@code fvec-simd} on the class path or module path, found with
 * {@link ServiceLoader}) is chosen when it reports itself usable: the {@code jdk.incubator.vector}
 * module is present ({@code --add-modules jdk.incubator.vector}), the JIT is C2, FMA is available
 * and the preferred float species has at least 128 bits. Otherwise the scalar reference is used.
 * The choice can be forced with {@code -Dfvec.kernel=scalar} or {@code -Dfvec.kernel=simd}; any
 * other value, or forcing {@code simd} where it cannot run, throws.
 *
 * <p><b>Logging.</b> The decision is taken once and logged once, as one line through
 * {@link System.Logger} {@code "dev.fvec"}: at {@code DEBUG} when SIMD is chosen or a kernel is
 * forced, at {@code INFO} only when it falls back to scalar, naming what is missing. To silence
 * it, set the logger {@code dev.fvec} to {@code WARNING}: with the JDK's default backend
 * (java.util.logging) a logging properties file with {@code dev.fvec.level = WARNING} (passed as
 * {@code -Djava.util.logging.config.file=...}), or with SLF4J/Log4j the logger {@code dev.fvec}
 * at {@code WARN}.
 */
public final class Kernels {

    /** The system property that forces a kernel: {@code scalar} or {@code simd}. */
    public static final String PROPERTY = "fvec.kernel";

    static final String NO_SIMD_JAR = "dev.fvec:fvec-simd is not on the class path or module path";
    static final String ADD_MODULES = "--add-modules jdk.incubator.vector";

    private static final System.Logger LOG = System.getLogger("dev.fvec");
    private static volatile KernelChoice chosen;

    private Kernels() {
    }

    /**
     * The scalar reference provider; always available.
     *
     * @return the scalar provider
     */
    public static KernelProvider scalar() {
        return ScalarKernel.PROVIDER;
    }

    /**
     * The SIMD provider, when {@code fvec-simd} is on the path (usable or not: see
     * {@link KernelProvider#unavailableReason()}), else {@code null}.
     *
     * @return the SIMD provider or {@code null}
     * @deprecated the SPI's own lookup, {@link KernelProvider#installed(String)
     *     KernelProvider.installed("simd")}, replaces it
     */
    @Deprecated
    public static KernelProvider simdOrNull() {
        return KernelProvider.installed("simd");
    }

    /**
     * The provider named {@code name}.
     *
     * @param name {@code scalar} or {@code simd}
     * @return that provider
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
        KernelProvider simd = KernelProvider.installed("simd");
        if (simd == null) {
            throw new IllegalStateException("the simd kernel was requested but " + NO_SIMD_JAR);
        }
        String why = simd.unavailableReason();
        if (why != null) {
            throw new IllegalStateException("the simd kernel was requested but cannot run: " + why);
        }
        return simd;
    }

    /**
     * The default kernel and why: decided on first call (honouring {@value #PROPERTY}), logged,
     * then cached.
     *
     * @return the choice
     * @throws IllegalArgumentException if {@value #PROPERTY} has an unknown value
     * @throws IllegalStateException if {@value #PROPERTY} is {@code simd} and SIMD cannot run
     */
    public static KernelChoice choice() {
        KernelChoice c = chosen;
        if (c == null) {
            synchronized (Kernels.class) {
                c = chosen;
                if (c == null) {
                    c = choose();
                    LOG.log(logLevel(c), "fvec: " + c.describe());
                    chosen = c;
                }
            }
        }
        return c;
    }

    /**
     * The default provider, {@code choice().provider()}.
     *
     * @return the provider encoders and trainers use unless given one
     * @throws IllegalArgumentException if {@value #PROPERTY} has an unknown value
     * @throws IllegalStateException if {@value #PROPERTY} is {@code simd} and SIMD cannot run
     */
    public static KernelProvider provider() {
        return choice().provider();
    }

    /**
     * Warms up the default kernel ({@link #provider()}), so that the first encodings and EM
     * iterations run at full speed instead of paying for the JIT. Optional: without it the first
     * calls are merely slower. Idempotent and thread-safe; call it once at start-up, e.g. while a
     * service is not yet taking requests, after building its encoders: some models take code paths
     * of their own (on the SIMD kernel, from JDK 21 on, models of 4 to 7 groups of vector lanes, e.g.
     * K = 64 at 512 bits), which it then warms up too. See {@link KernelProvider#warmUp()} for what
     * it costs.
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} has an unknown value
     * @throws IllegalStateException if {@value #PROPERTY} is {@code simd} and SIMD cannot run
     */
    public static void warmUp() {
        provider().warmUp();
    }

    /** INFO only for a fallback, which a user may want to act on; DEBUG otherwise. */
    static System.Logger.Level logLevel(KernelChoice c) {
        return c.isFallback() ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
    }

    /** Works the choice out, without caching or logging it. */
    static KernelChoice choose() {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isEmpty()) {
            return new KernelChoice(byName(forced), true, null);
        }
        KernelProvider simd = KernelProvider.installed("simd");
        String why = simd == null ? null : simd.unavailableReason();
        if (simd != null && why == null) {
            return new KernelChoice(simd, false, null);
        }
        return new KernelChoice(scalar(), false, fallbackReason(simd == null, why, vectorModulePresent()));
    }

    /**
     * What is missing for SIMD, said once: the jar, the module, or the provider's own reason
     * (followed by the {@code --add-modules} advice only when the module is absent and the reason
     * does not already give it).
     */
    static String fallbackReason(boolean noSimdJar, String providerReason, boolean modulePresent) {
        if (noSimdJar) {
            return NO_SIMD_JAR + (modulePresent ? "" : " (SIMD also needs java " + ADD_MODULES + ")");
        }
        if (!modulePresent && !providerReason.contains("--add-modules")) {
            return providerReason + "; run java with " + ADD_MODULES;
        }
        return providerReason;
    }

    private static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
