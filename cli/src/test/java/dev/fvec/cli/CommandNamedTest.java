package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which command a run builds alone (start-up: picocli models only the command that runs). */
class CommandNamedTest {

    @Test
    void theFirstWordThatIsNotAnOptionNamesTheCommand() {
        assertEquals("encode", Main.commandNamed(new String[] {"encode", "--model", "m.npz"}));
        assertEquals("train", Main.commandNamed(new String[] {"-v", "--kernel", "scalar", "train", "x.npy"}));
        assertEquals("demo", Main.commandNamed(new String[] {"-q", "demo", "--small"}));
    }

    @Test
    void theWholeTreeWhenTheCommandIsUnknownHiddenOrDescribesTheTree() {
        assertNull(Main.commandNamed(new String[] {}));
        assertNull(Main.commandNamed(new String[] {"--help"}));
        assertNull(Main.commandNamed(new String[] {"@job.txt"}));
        assertNull(Main.commandNamed(new String[] {"encdoe"}));
        assertNull(Main.commandNamed(new String[] {"help", "encode"}));
        assertNull(Main.commandNamed(new String[] {"completion"}));
    }

    @Test
    void anUnknownCommandIsStillAUsageError() {
        CliRun r = CliRun.of("encdoe", "--model", "m.npz");
        assertEquals(2, r.status, r.err);
    }
}
