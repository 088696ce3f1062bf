package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run: every step succeeds and it leaves no files behind. */
class StartupTrainingTest {

    @Test
    void runsEveryStepAndCleansUp(@TempDir Path parent) throws IOException {
        // In a directory of its own: the shared temporary directory may hold other runs' files.
        StartupTraining.trainIn(parent); // throws when a step exits non-zero
        try (Stream<Path> left = Files.list(parent)) {
            List<Path> files = left.collect(Collectors.toList());
            assertEquals(List.of(), files, "its temporary directory is removed");
        }
    }

    @Test
    void aFailedStepFailsTheRun() {
        assertThrows(IllegalStateException.class, () -> StartupTraining.check(2));
    }
}
