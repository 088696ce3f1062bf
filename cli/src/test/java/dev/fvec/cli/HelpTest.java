package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {

    @Test
    void noArgumentsPrintsHelp() {
        CliRun r = CliRun.of();
        assertEquals(0, r.status, r.toString());
        assertTrue(r.out.startsWith("fvec: Fisher vectors"), r.out);
        assertTrue(r.out.contains("fvec demo"), r.out);
        assertTrue(r.out.contains("fvec encode --model MODEL.npz"), r.out);
        assertTrue(r.out.contains("--quiet"), r.out);
        assertEquals("", r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void helpOption(String option) {
        CliRun r = CliRun.of(option);
        assertEquals(0, r.status);
        assertEquals(Help.MAIN, r.out);
    }

    @Test
    void commandHelpListsEveryOption() {
        check(CliRun.of("encode", "--help"), Help.ENCODE, EncodeCommand.OPTIONS);
        check(CliRun.of("train", "-h"), Help.TRAIN, TrainCommand.OPTIONS);
        check(CliRun.of("demo", "--help"), Help.DEMO, DemoCommand.OPTIONS);
        check(CliRun.of("help", "encode"), Help.ENCODE, EncodeCommand.OPTIONS);
        // --help wins over everything else, even errors in the other options.
        check(CliRun.of("encode", "--form", "nope", "--help"), Help.ENCODE, EncodeCommand.OPTIONS);
    }

    private static void check(CliRun r, String help, java.util.List<Options.Spec> specs) {
        assertEquals(0, r.status, r.toString());
        assertEquals(help, r.out);
        for (Options.Spec s : specs) {
            assertTrue(r.out.contains(s.name), s.name + " missing from\n" + r.out);
        }
    }

    @Test
    void encodeHelpMatchesTheIssueSynopsis() {
        assertTrue(Help.ENCODE.contains("[--improved | --power A | --l2]"));
        assertTrue(Help.ENCODE.contains("[--threshold T | --hard] --out OUT.npy INPUT.npy..."));
        assertTrue(Help.TRAIN.contains("[--init kmeans++|random] [--threads T] --out MODEL.npz INPUT.npy..."));
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
        assertEquals(2, r.status);
        assertTrue(r.err.contains("'frobnicate'"), r.err);
    }
}
