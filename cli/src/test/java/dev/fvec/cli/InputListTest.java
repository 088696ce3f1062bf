package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GoldenCases;
import dev.fvec.io.Npy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Long input lists: @argfiles and --inputs-from FILE or stdin. */
class InputListTest {

    private static final String CASE = "a_D64_K256_N1000";

    @TempDir
    Path dir;

    private final Path model = GoldenCases.path(CASE + "/model.npz");
    private final Path descriptors = GoldenCases.path(CASE + "/descriptors.npy");

    /** The same input given three ways gives bitwise the same output. */
    @Test
    void argfileAndInputsFromGiveTheSameRows() throws IOException {
        Path small = dir.resolve("small file.npy"); // a space in the name: one path a line
        float[] x = Npy.read(descriptors).data();
        Npy.write(small, java.util.Arrays.copyOf(x, 7 * 64), 7, 64);
        Path a = dir.resolve("a.npy");
        Path b = dir.resolve("b.npy");
        Path c = dir.resolve("c.npy");

        CliRun direct = CliRun.of("encode", "-q", "--model", model.toString(), "--out", a.toString(),
                descriptors.toString(), small.toString(), descriptors.toString());
        assertEquals(0, direct.status, direct.toString());

        Path argfile = dir.resolve("args.txt");
        Files.writeString(argfile, "-q --model '" + model + "'\n--out '" + b + "'\n'" + descriptors + "'\n'" + small
                + "'\n'" + descriptors + "'\n");
        CliRun viaArgfile = CliRun.of("encode", "@" + argfile);
        assertEquals(0, viaArgfile.status, viaArgfile.toString());

        CliRun viaStdin = CliRun.withStdin(small + "\r\n\n" + descriptors + "\n", "encode", "-q", "--model",
                model.toString(), "--out", c.toString(), "--inputs-from", "-", descriptors.toString());
        assertEquals(0, viaStdin.status, viaStdin.toString());

        byte[] want = Files.readAllBytes(a);
        assertEquals(3, Npy.read(a).rows());
        assertArrayEquals(want, Files.readAllBytes(b), "@argfile");
        assertArrayEquals(want, Files.readAllBytes(c), "--inputs-from -");
    }

    @Test
    void emptyListAndMissingListFile() {
        CliRun r = CliRun.withStdin("\n", "encode", "--model", model.toString(), "--out", dir.resolve("o.npy").toString(),
                "--inputs-from", "-");
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.startsWith("fvec: no INPUT.npy given"), r.err);
        Path missing = dir.resolve("list.txt");
        r = CliRun.of("encode", "--model", model.toString(), "--out", dir.resolve("o.npy").toString(), "--inputs-from",
                missing.toString());
        assertEquals("fvec: --inputs-from " + missing + ": no such file\n", r.err);
    }

    /** 300,000 paths (far beyond a command line's limit) through an @argfile and through --inputs-from. */
    @Test
    void threeHundredThousandPaths() throws IOException, CliException {
        int n = 300_000;
        String line = descriptors + "\n";
        Path list = dir.resolve("list.txt");
        Files.writeString(list, String.join("", Collections.nCopies(n, line)));

        EncodeCommand viaArgfile = parse("@" + list);
        assertEquals(n, viaArgfile.inputs.arguments.size());
        EncodeCommand viaList = parse("--inputs-from", list.toString(), descriptors.toString());
        List<Path> paths = viaList.inputs.paths(InputStream.nullInputStream());
        assertEquals(n + 1, paths.size());
        assertEquals(descriptors, paths.get(n));

        byte[] bytes = line.repeat(n / 30).getBytes(StandardCharsets.UTF_8); // stdin reads the same way
        EncodeCommand viaStdin = parse("--inputs-from", "-");
        assertEquals(n / 30, viaStdin.inputs.paths(new ByteArrayInputStream(bytes)).size());
    }

    private EncodeCommand parse(String... args) {
        EncodeCommand cmd = new EncodeCommand(new CommonOptions(),
                new Main.Streams(InputStream.nullInputStream(), System.out, System.err, false));
        List<String> all = new java.util.ArrayList<>(List.of("--model", "m.npz", "--out", "o.npy"));
        all.addAll(List.of(args));
        new CommandLine(cmd).parseArgs(all.toArray(new String[0]));
        return cmd;
    }
}
