package dev.fvec.bench;

import dev.fvec.FisherEncoder;
import dev.fvec.Kernels;

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
        FisherEncoder e = variant.configure(FisherEncoder.builder(in.model)).kernel(Kernels.byName(kernel)).build();
        if (!e.implementationName().equals(kernel)) {
            throw new IllegalStateException("asked for the " + kernel + " kernel, got " + e.implementationName());
        }
        return e;
    }

    /**
     * Encodes image 0 of {@code in} with {@code encoder} and checks the result: finite (unit norm
     * when L2-normalised); within {@link Check#FLOAT_KERNEL} of the scalar reference when the kernel
     * is not the reference itself; and, for a golden case, within {@link Check#REFERENCE} (scalar) or
     * {@link Check#FLOAT_KERNEL} (simd) of the float64 expected file.
     *
     * @return the checked vector
     */
    public static float[] checkOnce(Inputs in, Variant variant, FisherEncoder encoder) {
        String what = encoder.implementationName() + " " + variant + " on " + in;
        float[] got = encoder.encode(in.x, in.n);
        Check.sane(got, variant.l2() && in.n > 0, what);
        boolean reference = encoder.implementationName().equals("scalar");
        if (!reference) {
            float[] scalar = build(in, variant, "scalar").encode(in.x, in.n);
            Check.close(scalar, got, Check.FLOAT_KERNEL, what + " vs the scalar reference");
        }
        String file = variant.goldenFileName();
        if (in.goldenCase != null && file != null) {
            Check.close(in.goldenExpected(file), got, reference ? Check.REFERENCE : Check.FLOAT_KERNEL,
                    what + " vs " + in.goldenCase.resolve(file));
        }
        return got;
    }
}
