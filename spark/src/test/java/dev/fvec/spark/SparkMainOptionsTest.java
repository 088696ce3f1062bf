package dev.fvec.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code fvec-spark train|encode} declare {@code fvec train|encode}'s options again (the CLI's
 * command classes are package-private and bound to its streams): this test keeps the two from
 * drifting apart. Every option the commands shared when this was written must still be on both;
 * an option on both has the same names, parameter label and default (after the CLI's converter:
 * a {@code FisherForm} default is compared by name). Options added to {@code fvec} later are
 * listed when missing here, not failed, so adding one does not break this module's build.
 */
class SparkMainOptionsTest {

    /** Options both {@code train} commands must have. */
    static final Set<String> TRAIN = Set.of("--components", "--out", "--iterations", "--tolerance", "--seed",
            "--variance-floor", "--init", "--threads", "--quiet", "--verbose", "--kernel", "--pca", "--whiten", "--spatial");

    /** Options both {@code encode} commands must have. */
    static final Set<String> ENCODE = Set.of("--model", "--out", "--form", "--improved", "--power", "--l2",
            "--threshold", "--hard", "--threads", "--quiet", "--verbose", "--kernel", "--pyramid", "--spatial");

    /**
     * Options whose default differs on purpose: {@code --threads} (fvec: all processors; fvec-spark:
     * unset, so the master decides, {@code local[*]} by default, which is the same number locally).
     */
    static final Set<String> DEFAULT_DIFFERS = Set.of("--threads");

    /** Parameter labels that differ on purpose: fvec-spark's {@code encode --out} may be a Parquet directory. */
    static final Map<String, String> LABEL = Map.of("encode --out", "OUT");

    @Test
    void trainOptionsAgreeWithFvecTrain() throws Exception {
        compare("train", TRAIN);
    }

    @Test
    void encodeOptionsAgreeWithFvecEncode() throws Exception {
        compare("encode", ENCODE);
    }

    private static void compare(String command, Set<String> shared) throws Exception {
        CommandSpec fvec = fvecCommandLine().getSubcommands().get(command).getCommandSpec();
        CommandSpec spark = new CommandLine(new SparkMain()).getSubcommands().get(command).getCommandSpec();
        for (String name : shared) {
            assertNotNull(fvec.findOption(name), "fvec " + command + " has no " + name + " (update this test)");
            assertNotNull(spark.findOption(name), "fvec-spark " + command + " lacks fvec's " + name);
        }
        List<String> onlyFvec = new ArrayList<>();
        for (OptionSpec o : fvec.options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            OptionSpec s = spark.findOption(o.longestName());
            if (s == null) {
                onlyFvec.add(o.longestName());
                continue;
            }
            String what = command + " " + o.longestName();
            assertEquals(new TreeSet<>(List.of(o.names())), new TreeSet<>(List.of(s.names())), what + ": names");
            assertEquals(LABEL.getOrDefault(what, o.paramLabel()), s.paramLabel(), what + ": parameter label");
            assertEquals(o.arity(), s.arity(), what + ": arity");
            if (!DEFAULT_DIFFERS.contains(o.longestName())) {
                assertEquals(normal(o.initialValue()), normal(s.initialValue()), what + ": default");
            }
        }
        for (OptionSpec s : spark.options()) {
            String name = s.longestName();
            assertTrue(s.usageHelp() || s.versionHelp() || fvec.findOption(name) != null || name.equals("--master"),
                    "fvec-spark " + command + " has " + name + ", which fvec " + command + " has not");
        }
        if (!onlyFvec.isEmpty()) {
            System.err.println("fvec " + command + " options fvec-spark does not offer: " + onlyFvec);
        }
    }

    /** A default as text: enums by lower-case name (fvec converts --form to FisherForm, fvec-spark keeps the text). */
    private static String normal(Object v) {
        return v instanceof Enum<?> ? ((Enum<?>) v).name().toLowerCase(Locale.ROOT) : Objects.toString(v);
    }

    /** fvec's own command line, as {@code dev.fvec.cli.Main} builds it (package-private, so reflectively). */
    private static CommandLine fvecCommandLine() throws Exception {
        Class<?> main = Class.forName("dev.fvec.cli.Main");
        Class<?> streams = Class.forName("dev.fvec.cli.Main$Streams");
        Constructor<?> c = streams.getDeclaredConstructor(InputStream.class, PrintStream.class, PrintStream.class,
                boolean.class);
        c.setAccessible(true);
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true);
        Object s = c.newInstance(new ByteArrayInputStream(new byte[0]), sink, sink, false);
        Method m = main.getDeclaredMethod("commandLine", streams);
        m.setAccessible(true);
        return (CommandLine) m.invoke(null, s);
    }
}
