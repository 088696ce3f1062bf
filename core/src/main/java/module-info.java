/**
 * fvec's core: the model, the encoder and its scalar reference kernel, GMM training and NumPy
 * files. The kernel SPI ({@code dev.fvec.spi}) is what {@code dev.fvec.simd} implements;
 * {@code dev.fvec.internal} is not exported.
 */
module dev.fvec.core {
    exports dev.fvec;
    exports dev.fvec.io;
    exports dev.fvec.train;
    exports dev.fvec.spi;

    uses dev.fvec.spi.KernelProvider;
}
