package dev.fvec.bench;

import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Checks for the end-to-end benchmark ({@code bench/e2e/run.sh}), computed here the same way for
 * every tool's output, in double precision:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.fvec.bench.E2eScore loglik DATA.npy NAME=MODEL...
 * java -cp bench/target/benchmarks.jar dev.fvec.bench.E2eScore compare A.npy B.npy
 * </pre>
 *
 * {@code loglik} prints, per model, {@code NAME<tab>mean log-likelihood per descriptor} of the rows of
 * {@code DATA.npy}, in nats, every constant ({@code -D/2 log 2 pi}) included: the quantity of
 * scikit-learn's {@code score()} and of VLFeat 0.9.21's log-likelihood divided by N. A MODEL is
 * an {@code .npz} or a directory, each holding {@code weights}, {@code means} and
 * {@code covariances} ({@code K}, {@code K x D}, {@code K x D}); the arrays are used as written.
 *
 * <p>{@code compare} prints the largest absolute difference between two arrays of the same shape.
 */
public final class E2eScore {

    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private E2eScore() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("loglik")) {
            NpyArray x = Npy.read(Path.of(args[1]));
            for (int i = 2; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("expected NAME=MODEL, got '" + args[i] + "'");
                }
                Map<String, NpyArray> m = readModel(Path.of(args[i].substring(eq + 1)));
                double ll = meanLogLikelihood(m.get("weights").data(), m.get("means").data(),
                        m.get("covariances").data(), x.data(), x.rows(), x.cols());
                System.out.printf(Locale.ROOT, "%s\t%.6f%n", args[i].substring(0, eq), ll);
            }
        } else if (args.length == 3 && args[0].equals("compare")) {
            NpyArray a = Npy.read(Path.of(args[1]));
            NpyArray b = Npy.read(Path.of(args[2]));
            if (!java.util.Arrays.equals(a.shape(), b.shape())) {
                throw new IllegalArgumentException(args[1] + " and " + args[2] + " differ in shape: "
                        + java.util.Arrays.toString(a.shape()) + " and " + java.util.Arrays.toString(b.shape()));
            }
            double max = 0;
            for (int i = 0; i < a.size(); i++) {
                double diff = Math.abs((double) a.data()[i] - b.data()[i]);
                max = Double.isNaN(diff) ? Double.NaN : Math.max(max, diff);
            }
            System.out.printf(Locale.ROOT, "%.3g%n", max);
        } else {
            System.err.println("usage: E2eScore loglik DATA.npy NAME=MODEL... | E2eScore compare A.npy B.npy");
            System.exit(2);
        }
    }

    private static Map<String, NpyArray> readModel(Path model) throws IOException {
        Map<String, NpyArray> m;
        if (Files.isDirectory(model)) {
            m = new java.util.HashMap<>();
            for (String name : new String[] {"weights", "means", "covariances"}) {
                m.put(name, Npy.read(model.resolve(name + ".npy")));
            }
        } else {
            m = Npz.readAll(model);
        }
        for (String name : new String[] {"weights", "means", "covariances"}) {
            if (!m.containsKey(name)) {
                throw new IllegalArgumentException(model + " has no array '" + name + "'");
            }
        }
        return m;
    }

    /**
     * Mean over the {@code n} rows of {@code x} ({@code n x d}) of
     * {@code log sum_k w_k N(x; mu_k, diag(var_k))}, by log-sum-exp in double precision.
     */
    static double meanLogLikelihood(float[] w, float[] means, float[] var, float[] x, int n, int d) {
        int k = w.length;
        if (means.length != k * d || var.length != k * d || x.length != n * d) {
            throw new IllegalArgumentException("model arrays are not K = " + k + " by D = " + d);
        }
        double[] constant = new double[k];
        double[] inverse = new double[k * d];
        for (int c = 0; c < k; c++) {
            double logDet = 0;
            for (int j = 0; j < d; j++) {
                logDet += Math.log(var[c * d + j]);
                inverse[c * d + j] = 1.0 / var[c * d + j];
            }
            constant[c] = Math.log(w[c]) - 0.5 * (d * LOG_2PI + logDet);
        }
        // Per-row values summed in row order afterwards, so the result does not depend on threads.
        double[] perRow = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] terms = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double q = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[i * d + j] - means[c * d + j];
                    q += diff * diff * inverse[c * d + j];
                }
                terms[c] = constant[c] - 0.5 * q;
                max = Math.max(max, terms[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(terms[c] - max);
            }
            perRow[i] = max + Math.log(sum);
        });
        double total = 0;
        for (double v : perRow) {
            total += v;
        }
        return total / n;
    }
}
