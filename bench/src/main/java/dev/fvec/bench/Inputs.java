package dev.fvec.bench;

import dev.fvec.DiagonalGmm;
import dev.fvec.internal.SyntheticDescriptors;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The model and descriptors a benchmark encodes, named by a JMH {@code shape} parameter:
 *
 * <ul>
 *   <li>{@code DxKxN}, e.g. {@code 64x256x1000}: synthetic. One seeded
 *       {@link SyntheticDescriptors} stream (a mixture of anisotropic, rotated Gaussians with a
 *       decaying spectrum) is split into a training part and {@code images} sets of {@code N}
 *       descriptors to encode. The model is derived from the training part only, deterministically:
 *       means = {@code K} distinct training rows picked by a seeded RNG, variances = half the
 *       per-dimension variance of the training part (floored at {@code 1e-4}, VLFeat's default
 *       variance floor), uniform weights. So the descriptors follow the model's distribution
 *       without being its training data, as in real use.</li>
 *   <li>{@code golden:<case>}, e.g. {@code golden:a_D64_K256_N1000}: the golden case's
 *       {@code model.npz} and {@code descriptors.npy}, read from the repository (see
 *       {@link #goldenDir()}) with {@code dev.fvec.io} (looked up reflectively, so this module
 *       compiles before that package exists).</li>
 * </ul>
 *
 * Every benchmark that names the same shape gets bit-for-bit the same input, in every JVM.
 */
public final class Inputs {

    /** The system property naming the golden directory (holding {@code <case>/model.npz}). */
    public static final String GOLDEN_DIR_PROPERTY = "fvec.golden.dir";

    static final long DATA_SEED = 0x5EED_F00DL;
    static final long MODEL_SEED = 0x0DE1_5EEDL;
    static final int CLUSTERS = 16;
    static final float VARIANCE_FLOOR = 1e-4f;

    public final String shape;
    public final int d;
    public final int k;
    /** Descriptors per image. */
    public final int n;
    /** How many distinct images {@link #x} holds ({@code N x D} each, back to back). */
    public final int images;
    /** {@code images * N x D} descriptors, row-major: image {@code i} starts at {@code i * N * D}. */
    public final float[] x;
    public final DiagonalGmm model;
    /** The golden case directory, or null for synthetic inputs. */
    public final Path goldenCase;

    private Inputs(String shape, int d, int k, int n, int images, float[] x, DiagonalGmm model, Path goldenCase) {
        this.shape = shape;
        this.d = d;
        this.k = k;
        this.n = n;
        this.images = images;
        this.x = x;
        this.model = model;
        this.goldenCase = goldenCase;
    }

    /** The inputs named by {@code shape}, with one image. */
    public static Inputs of(String shape) {
        return of(shape, 1);
    }

    /**
     * The inputs named by {@code shape}, with {@code images} distinct descriptor sets (golden cases
     * have exactly one).
     */
    public static Inputs of(String shape, int images) {
        if (shape.startsWith("golden:")) {
            if (images != 1) {
                throw new IllegalArgumentException("shape '" + shape + "': a golden case holds one image, not " + images);
            }
            return golden(shape);
        }
        String[] p = shape.split("x");
        int d;
        int k;
        int n;
        try {
            if (p.length != 3) {
                throw new NumberFormatException();
            }
            d = Integer.parseInt(p[0]);
            k = Integer.parseInt(p[1]);
            n = Integer.parseInt(p[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape '" + shape
                    + "': expected DxKxN (e.g. 64x256x1000) or golden:<case> (e.g. golden:a_D64_K256_N1000)");
        }
        if (d < 1 || k < 1 || n < 0 || images < 1) {
            throw new IllegalArgumentException("shape '" + shape + "': need D >= 1, K >= 1, N >= 0");
        }
        int train = Math.max(4 * k, 2000);
        float[] all = SyntheticDescriptors.generate(DATA_SEED, train + images * n, d, CLUSTERS);
        float[] x = new float[images * n * d];
        System.arraycopy(all, train * d, x, 0, x.length);
        return new Inputs(shape, d, k, n, images, x, deriveModel(all, train, d, k, MODEL_SEED), null);
    }

    /**
     * A model derived from the first {@code rows} rows of {@code train}: {@code K} distinct rows as
     * means (seeded partial Fisher-Yates), half the per-dimension variance (floored), uniform weights.
     */
    static DiagonalGmm deriveModel(float[] train, int rows, int d, int k, long seed) {
        if (rows < k) {
            throw new IllegalArgumentException(rows + " training rows cannot give " + k + " distinct means");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        float[] means = new float[k * d];
        for (int c = 0; c < k; c++) {
            int j = c + rnd.nextInt(rows - c);
            int t = order[c];
            order[c] = order[j];
            order[j] = t;
            System.arraycopy(train, order[c] * d, means, c * d, d);
        }
        double[] sum = new double[d];
        double[] sumSq = new double[d];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < d; j++) {
                double v = train[i * d + j];
                sum[j] += v;
                sumSq[j] += v * v;
            }
        }
        float[] variances = new float[k * d];
        for (int j = 0; j < d; j++) {
            double mean = sum[j] / rows;
            float v = (float) Math.max(0.5 * (sumSq[j] / rows - mean * mean), VARIANCE_FLOOR);
            for (int c = 0; c < k; c++) {
                variances[c * d + j] = v;
            }
        }
        float[] weights = new float[k];
        java.util.Arrays.fill(weights, 1f / k);
        return DiagonalGmm.of(k, d, weights, means, variances);
    }

    private static Inputs golden(String shape) {
        String name = shape.substring("golden:".length());
        Path dir = goldenDir().resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("golden case '" + name + "' not found at " + dir.toAbsolutePath()
                    + "; run from the repository root or pass -D" + GOLDEN_DIR_PROPERTY + "=<repo>/core/src/test/resources/golden");
        }
        DiagonalGmm model = (DiagonalGmm) io("dev.fvec.io.Npz", "readModel", dir.resolve("model.npz"));
        Object descriptors = io("dev.fvec.io.Npy", "read", dir.resolve("descriptors.npy"));
        float[] x = (float[]) call(descriptors, "data");
        int[] shapeArray = (int[]) call(descriptors, "shape");
        if (shapeArray.length != 2 || shapeArray[1] != model.dimension()) {
            throw new IllegalStateException(dir + "/descriptors.npy has shape " + java.util.Arrays.toString(shapeArray)
                    + ", expected (N, " + model.dimension() + ")");
        }
        return new Inputs(shape, model.dimension(), model.components(), shapeArray[0], 1, x, model, dir);
    }

    /** The expected vector in {@code file} of this golden case, as floats. */
    public float[] goldenExpected(String file) {
        Object a = io("dev.fvec.io.Npy", "read", goldenCase.resolve(file));
        return (float[]) call(a, "data");
    }

    /**
     * Where golden cases live: {@code -Dfvec.golden.dir}, else {@code $FVEC_GOLDEN_DIR}, else
     * {@code core/src/test/resources/golden} under the working directory or its parent (JMH forks
     * inherit both the environment and the working directory).
     */
    public static Path goldenDir() {
        String p = System.getProperty(GOLDEN_DIR_PROPERTY);
        if (p == null || p.isEmpty()) {
            p = System.getenv("FVEC_GOLDEN_DIR");
        }
        if (p != null && !p.isEmpty()) {
            return Path.of(p);
        }
        Path here = Path.of("core/src/test/resources/golden");
        Path parent = Path.of("../core/src/test/resources/golden");
        return Files.isDirectory(here) || !Files.isDirectory(parent) ? here : parent;
    }

    private static Object io(String className, String method, Path file) {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("golden inputs need " + className + " (the NumPy reader in fvec-core),"
                    + " which this build does not have; use a synthetic shape such as 64x256x1000", e);
        }
        try {
            Method m = c.getMethod(method, Path.class);
            return m.invoke(null, file);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + "." + method + "(Path) is not usable: " + e, e);
        }
    }

    /** Calls a public no-argument method, looked up on a public type (the reader's declared return type). */
    private static Object call(Object target, String method) {
        try {
            Class<?> type = target.getClass();
            try {
                return type.getMethod(method).invoke(target);
            } catch (IllegalAccessException e) {
                // A non-public implementation class: go through the public declared type.
                type = Class.forName("dev.fvec.io.NpyArray");
                return type.getMethod(method).invoke(target);
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(method + "() failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(target.getClass().getName() + "." + method + "() is not usable: " + e, e);
        }
    }

    @Override
    public String toString() {
        return shape + " (D=" + d + ", K=" + k + ", N=" + n + (images > 1 ? ", " + images + " images" : "") + ")";
    }
}
