package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's training run: every step succeeds and it leaves no files behind. */
class StartupTrainingTest {

    @Test
    void runsEveryStepAndCleansUp() throws IOException {
        long before = trainingDirs();
        StartupTraining.main(new String[0]); // throws when a step exits non-zero
        assertEquals(before, trainingDirs(), "its temporary directory is removed");
    }

    @Test
    void aFailedStepFailsTheRun() {
        assertThrows(IllegalStateException.class, () -> StartupTraining.check(2));
    }

    private static long trainingDirs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("fvec-startup-training")).count();
        }
    }
}
