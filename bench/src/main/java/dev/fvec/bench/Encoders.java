package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;
import dev.fvec.spi.KernelProvider;

/** Builds the encoder a benchmark times, and checks its answer once before any timing. */
public final class Encoders {

    private Encoders() {
    }

    /**
     * An encoder of {@code in.model} for {@code variant} on the kernel named {@code kernel}
     * ({@code scalar} or {@code simd}); throws if that kernel cannot run in this JVM, so a silent
     * fallback can never be timed under the wrong name.
     */
    public static FisherEncoder build(Inputs in, Variant variant, String kernel) {
        KernelProvider provider = Kernels.byName(kernel);
        FisherEncoder e = variant.configure(FisherEncoder.builder(in.model)).kernel(provider).build();
        // The documented warm-up for services, after building the encoder (as the README's example):
        // without it the simd kernel serves its first calls on its scalar twin and compiles the
        // vector code in the background, during the measurement; before it, the code paths of the
        // model's own shape (gathered groups at 4 to 7 groups of lanes) would wait for their own.
        provider.warmUp();
        if (!e.implementationName().equals(kernel)) {
            throw new IllegalStateException("asked for the " + kernel + " kernel, got " + e.implementationName());
        }
        return e;
    }

    /**
     * Encodes image 0 of {@code in} with {@code encoder} and checks the result: finite (unit norm
     * when L2-normalised); for a kernel other than the scalar reference, its raw (un-normalised)
     * vector within {@link Check#FLOAT_KERNEL} of the reference's, and the timed, normalised vector
     * within the same bound widened by {@link Check#afterSquareRoot} when a square root is applied;
     * for a golden case, within {@link Check#REFERENCE} (scalar) or the float bound (simd) of the
     * float64 expected file.
     *
     * @return the checked vector
     */
    public static float[] checkOnce(Inputs in, Variant variant, FisherEncoder encoder) {
        String kernel = encoder.implementationName();
        String what = kernel + " " + variant + " on " + in;
        float[] got = encoder.encode(in.x, in.n);
        Check.sane(got, variant.l2() && in.n > 0, what);
        boolean reference = kernel.equals("scalar");
        double[] floatTol = variant.squareRoot() ? Check.afterSquareRoot(Check.FLOAT_KERNEL) : Check.FLOAT_KERNEL;
        if (!reference) {
            Variant raw = variant.raw();
            Check.close(build(in, raw, "scalar").encode(in.x, in.n), build(in, raw, kernel).encode(in.x, in.n),
                    Check.FLOAT_KERNEL, kernel + " " + raw + " on " + in + " vs the scalar reference");
            Check.close(build(in, variant, "scalar").encode(in.x, in.n), got, floatTol, what + " vs the scalar reference");
        }
        String file = variant.goldenFileName();
        if (in.goldenCase != null && file != null) {
            Check.close(in.goldenExpected(file), got, reference ? Check.REFERENCE : floatTol,
                    what + " vs " + in.goldenCase.resolve(file));
        }
        return got;
    }
}
