package dev.fvec;

import dev.fvec.spi.KernelProvider;
import java.util.Objects;

/**
 * Which kernel {@link Kernels#choice()} picked and why; the one place the library, the CLI and
 * the benchmarks read the decision from. Immutable.
 *
 * @param provider the kernel provider in use
 * @param forced whether {@code -D}{@value Kernels#PROPERTY} chose it
 * @param fallbackReason why the SIMD kernel is not in use (what is missing, and how to add it),
 *     or {@code null} when it is, or when the kernel was forced
 */
public record KernelChoice(KernelProvider provider, boolean forced, String fallbackReason) {

    /**
     * Checks the fields.
     *
     * @param provider the kernel provider in use
     * @param forced whether it was forced
     * @param fallbackReason why SIMD is not in use, or {@code null}
     */
    public KernelChoice {
        Objects.requireNonNull(provider, "provider");
    }

    /**
     * Whether the scalar kernel runs because the SIMD one could not (not because it was forced).
     *
     * @return {@code fallbackReason() != null}
     */
    public boolean isFallback() {
        return fallbackReason != null;
    }

    /**
     * One line for a log or a {@code --verbose} report, e.g. {@code "simd kernel (FloatVector
     * 512-bit, 16 lanes)"}, {@code "scalar kernel (forced by -Dfvec.kernel=scalar)"} or
     * {@code "scalar kernel: <fallback reason>"}.
     *
     * @return the description, without a trailing period
     */
    public String describe() {
        if (forced) {
            return provider.name() + " kernel (forced by -D" + Kernels.PROPERTY + "=" + provider.name() + ")";
        }
        if (fallbackReason != null) {
            return provider.name() + " kernel: " + fallbackReason;
        }
        String name = provider.name();
        String detail = provider.toString(); // e.g. "simd (FloatVector 512-bit, 16 lanes)"
        return detail.startsWith(name + " (") ? name + " kernel" + detail.substring(name.length()) : name + " kernel";
    }
}
