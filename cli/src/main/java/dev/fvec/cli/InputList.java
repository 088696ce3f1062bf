package dev.fvec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The descriptor files of a command: the INPUT.npy arguments (also from an {@code @argfile}), then
 * those listed in {@code --inputs-from FILE} or on stdin ({@code --inputs-from -}), one path a
 * line. A picocli mixin.
 */
final class InputList {

    @Parameters(paramLabel = "INPUT.npy", arity = "0..*", description = "descriptor files, N x D each")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--inputs-from", paramLabel = "FILE",
            description = "also read the INPUT.npy paths from FILE, one a line (blank lines skipped); - reads stdin")
    String inputsFrom;

    /** Every input, in order (arguments first); at least one, each an existing regular file. */
    List<Path> paths(InputStream stdin) throws CliException, IOException {
        List<String> all = new ArrayList<>(arguments);
        if (inputsFrom != null) {
            if (inputsFrom.equals("-")) {
                readLines(new InputStreamReader(stdin, StandardCharsets.UTF_8), all);
            } else {
                Path list = Path.of(inputsFrom);
                if (!Files.isRegularFile(list)) {
                    throw new CliException("--inputs-from " + inputsFrom + ": no such file");
                }
                readLines(Files.newBufferedReader(list, StandardCharsets.UTF_8), all);
            }
        }
        return Inputs.paths(all);
    }

    /** Lines as they are (paths may hold spaces), without a trailing CR; blank lines skipped. */
    private static void readLines(java.io.Reader source, List<String> into) throws IOException {
        try (BufferedReader r = new BufferedReader(source)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    into.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                }
            }
        }
    }
}
