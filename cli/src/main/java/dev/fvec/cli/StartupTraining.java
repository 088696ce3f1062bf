package dev.fvec.cli;

import dev.fvec.internal.SyntheticDescriptors;
import dev.fvec.io.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's start-up archive: {@code ./fvec} runs this class once per
 * JDK (and again after the jar is rebuilt) with {@code -XX:DumpLoadedClassList} and makes a static
 * CDS archive of the classes it loaded ({@code -Xshare:dump}); later runs start from that archive,
 * their classes pre-parsed and pre-verified instead of read from the jar.
 *
 * <p>Why a run of its own: the archive must hold the classes every command needs, and a run of one
 * user command loads only its own. This one runs {@code train}, {@code encode} (one file and a few;
 * parsed by {@link DirectParse} and by picocli) and {@code --help} on small synthetic data in a temporary directory, through {@link Main#run}, in
 * about half a second; nothing is written outside that directory, nothing is printed. picocli's
 * classes (class-file version 49) cannot go into JDK 17's dynamic archive
 * ({@code -XX:ArchiveClassesAtExit} skips them) nor into JDK 25's AOT cache, hence the static one.
 *
 * <p>Measured on the 2-core Zen 5 machine, JDK 17: the archive took a one-file {@code fvec encode}
 * from 0.39-0.44 s to 0.25-0.33 s of CPU time (678 classes read from the jar and the JDK's
 * modules without it, 25 with it).
 */
final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        trainIn(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** Runs the training steps in a new directory under {@code parent}, and removes it. */
    static void trainIn(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "fvec-startup-training");
        try {
            run(dir);
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void run(Path dir) throws IOException {
        int d = 64;
        String train = dir.resolve("train.npy").toString();
        Npy.write(Path.of(train), SyntheticDescriptors.generate(1, 2000, d, 8), 2000, d);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Path f = dir.resolve("x" + i + ".npy");
            Npy.write(f, SyntheticDescriptors.generate(2 + i, 300, d, 8), 300, d);
            inputs.add(f.toString());
        }
        String model = dir.resolve("model.npz").toString();
        String out = dir.resolve("out.npy").toString();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        EarlyStart.begin(new String[] {"encode"}); // main()'s classes, in the archive too
        Main.libraryLogger(); // (main() quiets the library's log through it; here it is only made)
        check(Main.run(new String[] {"train", "--components", "16", "--iterations", "3", "--out", model, train}, quiet, quiet));
        check(Main.run(new String[] {"encode", "--model", model, "--improved", "--out", out, inputs.get(0)}, quiet, quiet));
        // The same through picocli's parser (DirectParse leaves lines with "--" to it), so the lines
        // DirectParse does not take start from the archive too.
        check(Main.run(new String[] {"encode", "--model", model, "--improved", "--out", out, "--", inputs.get(0)},
                quiet, quiet));
        List<String> many = new ArrayList<>(List.of("encode", "--model", model, "--threads", "2", "--out", out));
        many.addAll(inputs);
        check(Main.run(many.toArray(new String[0]), quiet, quiet));
        check(Main.run(new String[] {"encode", "--model", model, "--out", out, dir.resolve("missing.npy").toString()},
                quiet, quiet) == 2 ? 0 : 1); // the error path: a one-line message
        check(Main.run(new String[] {"--help"}, quiet, quiet));
        check(Main.run(new String[] {"encode", "--help"}, quiet, quiet));
        check(Main.run(new String[] {"--version"}, quiet, quiet));
    }

    /** A failed step fails the training run, so the launcher does not keep an archive of a broken run. */
    static void check(int status) {
        if (status != 0) {
            throw new IllegalStateException("a start-up training step exited with " + status);
        }
    }
}
