package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final List<Options.Spec> SPECS = List.of(
            Options.Spec.value("--n", "N", "a number"),
            Options.Spec.value("--x", "X", "a real"),
            Options.Spec.flag("--on", "a flag"));

    private static Options parse(String... args) throws CliException {
        return Options.parse("cmd", SPECS, List.of(args));
    }

    private static String error(String... args) {
        return assertThrows(CliException.class, () -> parse(args)).getMessage();
    }

    @Test
    void valuesFlagsAndPositionals() throws CliException {
        Options o = parse("a.npy", "--n", "3", "--x=-0.5", "--on", "-q", "b.npy", "--", "--c.npy", "-");
        assertEquals(3, o.intValue("--n", 0, 1, 10));
        assertEquals(-0.5, o.doubleValue("--x", 0, -1, false, 1));
        assertTrue(o.has("--on"));
        assertTrue(o.has("--quiet"));
        assertFalse(o.has("--verbose"));
        assertEquals(List.of("a.npy", "b.npy", "--c.npy", "-"), o.positionals());
    }

    @Test
    void negativeNumbersAreValues() throws CliException {
        assertEquals(-7, parse("--n", "-7").longValue("--n", 0));
    }

    @Test
    void defaults() throws CliException {
        Options o = parse();
        assertEquals(5, o.intValue("--n", 5, 1, 10));
        assertEquals(1e-6, o.doubleValue("--x", 1e-6, 0, false, 1));
        assertEquals("b", o.choice("--x", "b", "a", "b"));
    }

    @Test
    void errorsNameTheOption() {
        assertEquals("unknown option --bogus for 'fvec cmd' (see 'fvec cmd --help')", error("--bogus"));
        assertEquals("unknown option -x for 'fvec cmd' (see 'fvec cmd --help')", error("-x"));
        assertEquals("--n needs a value: --n N", error("--n"));
        assertEquals("--n is given more than once", error("--n", "1", "--n=2"));
        assertEquals("--on takes no value, got '--on=yes'", error("--on=yes"));
    }

    @Test
    void badValues() throws CliException {
        assertEquals("--n: expected a whole number in [1, 10], got 'three'",
                assertThrows(CliException.class, () -> parse("--n", "three").intValue("--n", 0, 1, 10)).getMessage());
        assertEquals("--n: expected a whole number >= 1, got 0",
                assertThrows(CliException.class, () -> parse("--n", "0").intValue("--n", 0, 1, Integer.MAX_VALUE))
                        .getMessage());
        assertEquals("--x: expected a number in (0, 1], got 0",
                assertThrows(CliException.class, () -> parse("--x", "0").doubleValue("--x", 1, 0, true, 1)).getMessage());
        assertEquals("--x: expected a number in [0, 1], got NaN",
                assertThrows(CliException.class, () -> parse("--x", "NaN").doubleValue("--x", 1, 0, false, 1)).getMessage());
        assertEquals("--x: expected a or b, got 'c'",
                assertThrows(CliException.class, () -> parse("--x", "c").choice("--x", "a", "a", "b")).getMessage());
        assertEquals("--x and --n cannot be combined",
                assertThrows(CliException.class, () -> parse("--x", "1", "--n", "1").exclusive("--x", "--n")).getMessage());
        assertEquals("missing --n (see 'fvec cmd --help')",
                assertThrows(CliException.class, () -> parse().required("--n")).getMessage());
        assertEquals("A", parse("--x", "A").choice("--x", "b", "a", "b").toUpperCase());
    }
}
