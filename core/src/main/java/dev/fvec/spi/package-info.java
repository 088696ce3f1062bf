/**
 * The kernel service-provider interface: what a statistics kernel implements
 * ({@link dev.fvec.spi.StatisticsKernel}, {@link dev.fvec.spi.KernelProvider}) and how it writes
 * statistics ({@link dev.fvec.spi.StatisticsAccess}). Users of the library do not need it; they
 * call {@link dev.fvec.FisherEncoder}, {@link dev.fvec.Kernels} and {@link dev.fvec.train}.
 */
package dev.fvec.spi;
