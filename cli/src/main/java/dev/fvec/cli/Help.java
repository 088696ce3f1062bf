package dev.fvec.cli;

import java.util.List;

/** The help texts. Each command's option list is generated from its {@link Options.Spec}s. */
final class Help {

    static final String MAIN = String.join("\n",
            "fvec: Fisher vectors on the JVM (scalar reference and Vector API kernels).",
            "",
            "Usage:",
            "  fvec demo                     train and encode a synthetic data set, check SIMD against scalar",
            "  fvec train  --components K --out MODEL.npz INPUT.npy...",
            "  fvec encode --model MODEL.npz --out OUT.npy INPUT.npy...",
            "  fvec help COMMAND             or: fvec COMMAND --help",
            "",
            "Files are NumPy: descriptors are 2-D .npy arrays (N x D, float32 or float64); a model is the",
            ".npz that numpy.savez(path, weights=g.weights_, means=g.means_, covariances=g.covariances_)",
            "writes for a scikit-learn GaussianMixture(covariance_type='diag').",
            "",
            "Options for every command:",
            options(List.of()),
            "Exit status: 0 success, 2 bad usage or bad input, 1 a failed self-check or an internal error.",
            "Environment: FVEC_JAVA_OPTS adds JVM options (e.g. -Xmx8g) when run through ./fvec.",
            "");

    static final String ENCODE = String.join("\n",
            "Usage: fvec encode --model MODEL.npz [--form vlfeat|gist|skimage] [--improved | --power A | --l2]",
            "                   [--threshold T | --hard] --out OUT.npy INPUT.npy...",
            "",
            "Encodes each INPUT.npy (N x D descriptors of one image) into one Fisher vector and writes them",
            "to OUT.npy as a float32 array with one row per input, in argument order. Row length: 2KD for",
            "vlfeat, K + 2KD for gist and skimage. An input with no rows gives a zero vector.",
            "",
            "Options:",
            options(EncodeCommand.OPTIONS),
            "Examples:",
            "  fvec encode --model gmm.npz --improved --out fv.npy img1.npy img2.npy",
            "  fvec encode --model gmm.npz --form skimage --threshold 0 --out fv.npy img*.npy",
            "");

    static final String TRAIN = String.join("\n",
            "Usage: fvec train --components K [--iterations N] [--tolerance E] [--seed S] [--variance-floor V]",
            "                  [--init kmeans++|random] [--threads T] --out MODEL.npz INPUT.npy...",
            "",
            "Fits a diagonal-covariance Gaussian mixture to all rows of all INPUT.npy files (N x D each, the",
            "same D) by EM, and writes it as MODEL.npz (weights, means, covariances), as scikit-learn's",
            "GaussianMixture(covariance_type='diag') would save it. All rows are held in memory as float32.",
            "",
            "Options:",
            options(TrainCommand.OPTIONS),
            "Example:",
            "  fvec train --components 256 --seed 1 --out gmm.npz sample1.npy sample2.npy",
            "");

    static final String DEMO = String.join("\n",
            "Usage: fvec demo [--small] [--seed S]",
            "",
            "Makes a seeded, descriptor-like synthetic data set, trains a GMM on it, encodes a batch of",
            "\"images\" with the SIMD kernel and with the scalar reference, checks that they agree, and",
            "prints what it did and how fast. Writes no files. Exits with 1 if the kernels disagree.",
            "",
            "Options:",
            options(DemoCommand.OPTIONS),
            "");

    private Help() {
    }

    /** The option list: {@code specs}, then the common options. */
    private static String options(List<Options.Spec> specs) {
        StringBuilder sb = new StringBuilder();
        for (Options.Spec s : specs) {
            line(sb, s);
        }
        if (!specs.isEmpty()) {
            sb.append('\n');
        }
        for (Options.Spec s : Options.COMMON) {
            line(sb, s);
        }
        return sb.toString();
    }

    private static final int INDENT = 28;
    private static final int WIDTH = 100;

    /** One option: its synopsis, then its help wrapped to {@value #WIDTH} columns at column {@value #INDENT}. */
    private static void line(StringBuilder sb, Options.Spec s) {
        String left = "  " + s.synopsis();
        sb.append(left);
        int column = left.length();
        if (column > INDENT - 2) {
            sb.append('\n');
            column = 0;
        }
        boolean first = true;
        for (String word : s.help.split(" ")) {
            if (!first && column + 1 + word.length() > WIDTH) {
                sb.append('\n');
                column = 0;
            }
            if (column < INDENT) {
                sb.append(" ".repeat(INDENT - column));
                column = INDENT;
            } else {
                sb.append(' ');
                column++;
            }
            sb.append(word);
            column += word.length();
            first = false;
        }
        sb.append('\n');
    }
}
