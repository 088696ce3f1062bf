package dev.fvec.train;

import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes the held-out quality comparison's data for {@code bench/scripts/sklearn_quality.py}:
 * {@link SyntheticDescriptors#generate} with {@code n_train + n_test} rows, the first
 * {@code n_train} as {@code <prefix>_train.npy}, the rest as {@code <prefix>_test.npy}
 * ({@code <f4}, C order, written by {@link Npy#write}). {@link SklearnQualityTest} regenerates the same split in memory.
 *
 * <pre>
 * java -cp core/target/classes:core/target/test-classes dev.fvec.train.QualityData \
 *     SEED N_TRAIN N_TEST D CLUSTERS OUT_PREFIX
 * </pre>
 */
public final class QualityData {

    private QualityData() {
    }

    /** The train ({@code [0]}) and held-out ({@code [1]}) descriptors of one configuration. */
    static float[][] split(long seed, int nTrain, int nTest, int d, int clusters) {
        float[] all = SyntheticDescriptors.generate(seed, nTrain + nTest, d, clusters);
        return new float[][] {Arrays.copyOf(all, nTrain * d), Arrays.copyOfRange(all, nTrain * d, (nTrain + nTest) * d)};
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: QualityData SEED N_TRAIN N_TEST D CLUSTERS OUT_PREFIX");
            System.exit(2);
        }
        long seed = Long.parseLong(args[0]);
        int nTrain = Integer.parseInt(args[1]);
        int nTest = Integer.parseInt(args[2]);
        int d = Integer.parseInt(args[3]);
        int clusters = Integer.parseInt(args[4]);
        float[][] split = split(seed, nTrain, nTest, d, clusters);
        Npy.write(Path.of(args[5] + "_train.npy"), split[0], nTrain, d);
        Npy.write(Path.of(args[5] + "_test.npy"), split[1], nTest, d);
    }
}
