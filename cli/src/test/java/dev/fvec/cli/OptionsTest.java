package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The converters and the rewording of picocli's parse errors, on a small command 'fvec cmd'. */
class OptionsTest {

    static final class OneToTen extends Converters.WholeNumber {
        OneToTen() {
            super(1, 10);
        }
    }

    static final class MinusOneToOne extends Converters.Real {
        MinusOneToOne() {
            super(-1, false, 1);
        }
    }

    static final class AOrB extends Converters.Choice {
        AOrB() {
            super("a", "b");
        }
    }

    @Command(name = "cmd")
    static final class Cmd implements Callable<Integer> {
        @Option(names = "--n", paramLabel = "N", converter = OneToTen.class)
        int n = 5;
        @Option(names = "--x", paramLabel = "X", converter = MinusOneToOne.class)
        double x = 1e-6;
        @Option(names = "--c", paramLabel = "C", converter = AOrB.class)
        String c = "b";
        @Option(names = "--p", paramLabel = "P", converter = Converters.Positive.class)
        int p = 1;
        @Option(names = "--on")
        boolean on;
        @Option(names = "--req", paramLabel = "R", required = true)
        String req;
        @Parameters
        List<String> positionals = new ArrayList<>();
        @Mixin
        CommonOptions common = new CommonOptions();

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Command(name = "fvec")
    static final class Root implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }
    }

    private Cmd cmd;
    private String err;

    /** Parses {@code fvec cmd --req r args}; returns the exit status, the error line in {@link #err}. */
    private int parse(boolean withReq, String... args) {
        cmd = new Cmd();
        CommandLine cli = new CommandLine(new Root()).addSubcommand("cmd", cmd);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        cli.setParameterExceptionHandler((e, a) -> Errors.usage(e, a, stream));
        List<String> all = new ArrayList<>(List.of("cmd"));
        if (withReq) {
            all.addAll(List.of("--req", "r"));
        }
        all.addAll(List.of(args));
        int status = cli.execute(all.toArray(new String[0]));
        err = bytes.toString(StandardCharsets.UTF_8);
        return status;
    }

    private String error(String... args) {
        assertEquals(2, parse(true, args), err);
        assertTrue(err.startsWith("fvec: ") && err.indexOf('\n') == err.length() - 1, "one line: " + err);
        return err.substring("fvec: ".length(), err.length() - 1);
    }

    @Test
    void valuesFlagsAndPositionals() {
        assertEquals(0, parse(true, "a.npy", "--n", "3", "--x=-0.5", "--on", "-q", "b.npy", "--", "--c.npy", "-"), err);
        assertEquals(3, cmd.n);
        assertEquals(-0.5, cmd.x);
        assertTrue(cmd.on);
        assertTrue(cmd.common.quiet);
        assertFalse(cmd.common.verbose);
        assertEquals(List.of("a.npy", "b.npy", "--c.npy", "-"), cmd.positionals);
    }

    @Test
    void negativeNumbersAreValues() {
        assertEquals(0, parse(true, "--x", "-1"), err);
        assertEquals(-1, cmd.x);
    }

    @Test
    void defaults() {
        assertEquals(0, parse(true), err);
        assertEquals(5, cmd.n);
        assertEquals(1e-6, cmd.x);
        assertEquals("b", cmd.c);
        assertEquals(null, cmd.common.kernel);
    }

    @Test
    void errorsNameTheOption() {
        assertEquals("unknown option --bogus for 'fvec cmd' (see 'fvec cmd --help')", error("--bogus"));
        assertEquals("unknown option --bogus for 'fvec cmd' (see 'fvec cmd --help')", error("--bogus=1"));
        assertEquals("unknown option -x for 'fvec cmd' (see 'fvec cmd --help')", error("-x"));
        assertEquals("--n needs a value: --n N", error("--n"));
        assertEquals("--n is given more than once", error("--n", "1", "--n=2"));
        assertEquals("--on takes no value, got '--on=yes'", error("--on=yes"));
        assertEquals(2, parse(false, "--n", "1"));
        assertEquals("fvec: missing --req (see 'fvec cmd --help')\n", err);
        assertEquals(2, parse(false, "--bogus"));
        assertEquals("fvec: unknown option --bogus for 'fvec cmd' (see 'fvec cmd --help')\n", err, "before 'missing'");
    }

    @Test
    void badValues() {
        assertEquals("--n: expected a whole number in [1, 10], got 'three'", error("--n", "three"));
        assertEquals("--n: expected a whole number in [1, 10], got 11", error("--n", "11"));
        assertEquals("--p: expected a whole number >= 1, got 0", error("--p", "0"));
        assertEquals("--x: expected a number in [-1, 1], got 2", error("--x", "2"));
        assertEquals("--x: expected a number in [-1, 1], got NaN", error("--x", "NaN"));
        assertEquals("--x: expected a number in [-1, 1], got 'small'", error("--x", "small"));
        assertEquals("--c: expected a or b, got 'd'", error("--c", "d"));
        assertEquals("--kernel: expected scalar or simd, got 'gpu'", error("--kernel", "gpu"));
        assertEquals(0, parse(true, "--c", "A", "--kernel", "SIMD"), err);
        assertEquals("a", cmd.c);
        assertEquals("simd", cmd.common.kernel);
    }

    @Test
    void rangesInTheirOwnWords() {
        assertEquals("expected a number in (0, 1], got 0",
                assertThrowsConversion(() -> new Converters.Exponent().convert("0")));
        assertEquals("expected a number in [0, inf], got -1",
                assertThrowsConversion(() -> new Converters.NonNegative().convert("-1")));
        assertEquals("expected a whole number in [1, 4096], got 0",
                assertThrowsConversion(() -> new Converters.Threads().convert("0")));
        assertEquals("expected a whole number, got '1.5'",
                assertThrowsConversion(() -> new Converters.AnyLong().convert("1.5")));
        assertEquals(dev.fvec.FisherForm.SKIMAGE, new Converters.Form().convert("SKImage"));
    }

    private static String assertThrowsConversion(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(CommandLine.TypeConversionException.class, e)
                .getMessage();
    }
}
