/**
 * Training the vocabulary: {@link dev.fvec.train.GmmTrainer} fits a diagonal Gaussian mixture by
 * EM (SPEC.md, "EM training of the GMM") to descriptors in a {@code float[]} or in {@code .npy}
 * files, with the statistics kernel the encoders use, on several threads, reproducibly.
 */
package dev.fvec.train;
