package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link DirectParse} sets the very fields picocli sets, on every line it takes, and leaves to
 * picocli the lines it must parse (help, argfiles, repeats, bad values, ...).
 */
class DirectParseTest {

    private static final Main.Streams STREAMS = new Main.Streams(new ByteArrayInputStream(new byte[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);

    /** Every field of the command, its common options, its inputs and the root's common options, by name. */
    private static String fields(CommonOptions root, CommandBase command) throws IllegalAccessException {
        TreeMap<String, Object> all = new TreeMap<>();
        collect("root.", root, all);
        collect("", command, all);
        collect("common.", command.common, all);
        InputList inputs = command instanceof EncodeCommand ? ((EncodeCommand) command).inputs
                : ((TrainCommand) command).inputs;
        collect("inputs.", inputs, all);
        return all.toString();
    }

    private static void collect(String prefix, Object o, TreeMap<String, Object> into) throws IllegalAccessException {
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType() == CommonOptions.class
                        || f.getType() == InputList.class || f.getType() == Main.Streams.class) {
                    continue;
                }
                f.setAccessible(true);
                Object v = f.get(o);
                into.put(prefix + c.getSimpleName() + "." + f.getName(), v == null ? "null" : v.toString());
            }
        }
    }

    private static String viaPicocli(String... args) throws IllegalAccessException {
        CommandLine cli = Main.commandLine(STREAMS, null);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        CommandBase command = (CommandBase) parsed.subcommand().commandSpec().userObject();
        return fields(((RootCommand) cli.getCommand()).common, command);
    }

    private static void same(String... args) throws IllegalAccessException {
        DirectParse.Parsed direct = DirectParse.parse(args, STREAMS);
        assertNotNull(direct, "not taken: " + Arrays.toString(args));
        assertEquals(viaPicocli(args), fields(direct.root, direct.command), Arrays.toString(args));
    }

    private static void declined(String... args) {
        assertNull(DirectParse.parse(args, STREAMS), Arrays.toString(args));
    }

    @Test
    void encodeLinesGiveWhatPicocliGives() throws IllegalAccessException {
        same("encode", "--model", "m.npz", "--out", "o.npy", "a.npy");
        same("encode", "--model=m.npz", "--out=o.npy", "a.npy", "b c.npy", "--improved");
        same("-q", "encode", "--model", "m.npz", "a.npy", "--out", "o.npy", "--threads", "3", "-v");
        same("--kernel", "SCALAR", "encode", "--model", "m.npz", "--out", "o.npy", "--form", "Gist", "--power", "0.25",
                "--l2", "--threshold", "1e-3", "x.npy");
        same("--verbose", "encode", "--kernel=simd", "--model", "m.npz", "--out", "o.npy", "--hard", "--form=skimage");
        same("encode", "--model", "m.npz", "--out", "o.npy", "--pyramid", "1x1,2x2", "--spatial", "i.npz");
        same("encode", "--model", "m.npz", "--out", "o.npy", "--inputs-from", "-", "--quiet");
        same("encode", "--model", "m.npz", "--out", "o.npy", "--inputs-from=list.txt", "--threshold=0", "a=b.npy");
        same("encode", "--model", "encode", "--out", "train", "help");
    }

    @Test
    void trainLinesGiveWhatPicocliGives() throws IllegalAccessException {
        same("train", "--components", "64", "--out", "g.npz", "x.npy");
        same("-v", "train", "--components=8", "--out=g.npz", "--iterations", "3", "--tolerance", "0", "--seed", "42",
                "x.npy", "y.npy");
        same("train", "--components", "8", "--out", "g.npz", "--variance-floor", "1e-4", "--init", "RANDOM",
                "--threads", "1", "--pca", "16", "--whiten", "-q", "x.npy");
        same("train", "--components", "8", "--out", "g.npz", "--spatial", "--inputs-from", "l.txt", "--kernel", "simd");
    }

    @Test
    void leavesToPicocliWhatItMustParse() {
        declined();
        declined("encode");
        declined("demo");
        declined("--help");
        declined("encode", "--help", "--model", "m.npz", "--out", "o.npy");
        declined("encode", "-h");
        declined("encode", "--version");
        declined("encode", "--model", "m.npz", "a.npy"); // --out missing
        declined("train", "--out", "g.npz", "a.npy"); // --components missing
        declined("encode", "--model", "m.npz", "--out", "o.npy", "@args.txt");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--", "a.npy");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "-qv", "a.npy");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--model", "n.npz");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "-q", "--quiet");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--improved", "--improved");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--improved=true");
        declined("encode", "--model", "m.npz", "--out", "-o.npy");
        declined("encode", "--model", "m.npz", "--out", "@o.npy");
        declined("encode", "--model", "m.npz", "--out=", "a.npy");
        declined("encode", "--model", "m.npz", "--out");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--power", "2");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--threads", "0");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--form", "fisher");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--kernel", "gpu");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--components", "8");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "--unknown");
        declined("encode", "--model", "m.npz", "--out", "o.npy", "");
        declined("--kernel", "simd", "--kernel", "scalar", "encode", "--model", "m.npz", "--out", "o.npy");
        declined("--threads", "2", "encode", "--model", "m.npz", "--out", "o.npy");
        declined("train", "--components", "0", "--out", "g.npz", "x.npy");
        declined("train", "--components", "8", "--out", "g.npz", "--seed", "-3", "x.npy");
        declined("train", "--components", "8", "--out", "g.npz", "--improved", "x.npy");
    }

    @Test
    void offByProperty() {
        System.setProperty(DirectParse.PROPERTY, "false");
        try {
            declined("encode", "--model", "m.npz", "--out", "o.npy", "a.npy");
        } finally {
            System.clearProperty(DirectParse.PROPERTY);
        }
    }
}
