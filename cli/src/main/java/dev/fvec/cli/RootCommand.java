package dev.fvec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code fvec} itself: the common options; a command is required. */
@Command(name = "fvec", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "fvec: Fisher vectors on the JVM (scalar reference and Vector API kernels).",
        synopsisHeading = "%nUsage:%n",
        customSynopsis = {
            "  fvec demo                     train and encode a synthetic data set, check SIMD against scalar",
            "  fvec train  --components K --out MODEL.npz INPUT.npy...",
            "  fvec encode --model MODEL.npz --out OUT.npy INPUT.npy...",
            "  fvec help COMMAND             or: fvec COMMAND --help",
        },
        description = {
            "",
            "Files are NumPy: descriptors are 2-D .npy arrays (N x D, float32 or float64); a model is the",
            ".npz that numpy.savez(path, weights=g.weights_, means=g.means_, covariances=g.covariances_)",
            "writes for a scikit-learn GaussianMixture(covariance_type='diag').",
            "",
            "Any argument @FILE is replaced by the arguments in FILE (one or more a line; quote paths with",
            "spaces), so long lists of inputs need no long command line.",
        },
        commandListHeading = "%nCommands:%n",
        optionListHeading = "%nOptions for every command (before or after its name):%n",
        footer = {
            "",
            "Exit status: 0 success, 2 bad usage or bad input, 1 a failed self-check or an internal error.",
            "Environment: FVEC_JAVA_OPTS adds JVM options (e.g. -Xmx8g) when run through ./fvec.",
        })
final class RootCommand implements Callable<Integer> {

    @Mixin
    final CommonOptions common = new CommonOptions();

    @Override
    public Integer call() throws CliException {
        throw new CliException("no command given: expected train, encode or demo (see 'fvec --help')");
    }
}
