package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

    private static final List<String> COMMON = List.of("--quiet", "-q", "--verbose", "-v", "--kernel", "--help",
            "-h", "--version");

    @Test
    void noCommandIsAUsageError() {
        CliRun r = CliRun.of();
        assertEquals(2, r.status, r.toString());
        assertEquals("fvec: no command given: expected train, encode or demo (see 'fvec --help')\n", r.err);
        assertEquals("", r.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpOption(String option) {
        CliRun r = CliRun.of(option);
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.err);
        assertTrue(r.out.startsWith("fvec: Fisher vectors"), r.out);
        for (String s : List.of("fvec demo", "fvec encode --model MODEL.npz", "fvec train  --components K",
                "completion", "@FILE", "Exit status: 0 success, 2 bad usage")) {
            assertTrue(r.out.contains(s), s + " missing from\n" + r.out);
        }
        for (String s : COMMON) {
            assertTrue(r.out.contains(s), s + " missing from\n" + r.out);
        }
    }

    @Test
    void commandHelpListsEveryOption() {
        List<String> encode = List.of("--model=MODEL.npz", "--out=OUT.npy", "--form=FORM", "--improved",
                "--power=A", "--l2", "--threshold=T", "--hard", "--threads=T", "--inputs-from=FILE", "INPUT.npy");
        CliRun help = CliRun.of("encode", "--help");
        check(help, encode);
        assertEquals(help.out, CliRun.of("help", "encode").out);
        // --help wins over everything else, even errors in the other options.
        assertEquals(help.out, check(CliRun.of("encode", "--form", "nope", "--help"), encode).out);
        check(CliRun.of("train", "-h"), List.of("--components=K", "--out=MODEL.npz", "--iterations=N",
                "--tolerance=E", "--seed=S", "--variance-floor=V", "--init=INIT", "--threads=T", "--inputs-from=FILE"));
        check(CliRun.of("demo", "--help"), List.of("--small", "--seed=S"));
    }

    private static CliRun check(CliRun r, List<String> options) {
        assertEquals(0, r.status, r.toString());
        assertEquals("", r.err);
        for (String s : options) {
            assertTrue(r.out.contains(s), s + " missing from\n" + r.out);
        }
        for (String s : COMMON) {
            assertTrue(r.out.contains(s), s + " missing from\n" + r.out);
        }
        return r;
    }

    @Test
    void helpShowsTheSynopsisAndDefaults() {
        String encode = CliRun.of("encode", "--help").out;
        assertTrue(encode.contains("[--improved | --power A | --l2]"), encode);
        assertTrue(encode.contains("[--threshold T | --hard] [--threads T] --out OUT.npy INPUT.npy..."), encode);
        String train = CliRun.of("train", "--help").out;
        assertTrue(train.contains("[--init kmeans++|random] [--threads T] --out MODEL.npz INPUT.npy..."), train);
        assertTrue(train.contains("maximum EM iterations (default 100)"), train);
    }

    @Test
    void versionNamesTheVersionAndTheCommit() {
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"encode", "--version"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(0, r.status, r.toString());
            String first = r.out.lines().findFirst().orElse("");
            // The build records the commit; a build outside a git checkout says so instead.
            assertTrue(first.matches("fvec \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?, git commit ([0-9a-f]{7,40}( with uncommitted"
                    + " changes)?|unknown \\(not built from a git checkout\\))"), first);
            assertTrue(r.out.contains("Java " + Runtime.version()), r.out);
        }
    }

    @Test
    void completionScriptCoversCommandsAndOptions() {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.status, r.toString());
        for (String s : List.of("complete -F", "fvec", "encode", "train", "demo", "--inputs-from", "--components",
                "--threshold", "vlfeat", "kmeans++", "scalar")) {
            assertTrue(r.out.contains(s), s + " missing from the completion script");
        }
    }

    @Test
    void unknownCommand() {
        CliRun r = CliRun.of("encdoe", "x.npy");
        assertEquals(2, r.status);
        assertEquals("fvec: unknown command 'encdoe': expected train, encode or demo (see 'fvec --help')\n", r.err);
        assertEquals("", r.out);
    }

    @Test
    void optionsWithoutCommand() {
        CliRun r = CliRun.of("--quiet");
        assertEquals(2, r.status);
        assertTrue(r.err.startsWith("fvec: no command given"), r.err);
    }

    @Test
    void helpForUnknownTopic() {
        CliRun r = CliRun.of("help", "frobnicate");
        assertEquals(2, r.status, r.toString());
        assertTrue(r.err.startsWith("fvec: ") && r.err.contains("'frobnicate'"), r.err);
    }
}
