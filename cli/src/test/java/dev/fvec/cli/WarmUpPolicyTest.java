package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WarmUpPolicyTest {

    @Test
    void countsDescriptorsTimesKTimesD() {
        List<Inputs.Shape> files = List.of(new Inputs.Shape(1000, 64), new Inputs.Shape(0, 64), new Inputs.Shape(7, 64));
        assertEquals(1007L * 256 * 64, WarmUpPolicy.terms(files, 256, 64));
        assertEquals(0, WarmUpPolicy.terms(List.of(), 256, 64));
        List<Inputs.Shape> huge = java.util.Collections.nCopies(1 << 20, new Inputs.Shape(Integer.MAX_VALUE, 1 << 20));
        assertEquals(Long.MAX_VALUE, WarmUpPolicy.terms(huge, 1 << 16, 1 << 20)); // saturates, never wraps
    }

    @Test
    void aboutThreeThousandFilesOfTheBenchmarksShapeAreTheLimit() {
        long perFile = 1000L * 256 * 64;
        assertEquals(3146, (WarmUpPolicy.WARM_UP_PAYS + perFile - 1) / perFile);
    }

    @Test
    void leavesTheJvmAloneInProcess() throws CliException {
        // Tests run commands through Main.run, in a JVM of their own: no JVM-wide property is set.
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Context ctx = new Context(new Main.Streams(new ByteArrayInputStream(new byte[0]), sink, sink, false),
                new CommonOptions());
        String before = System.getProperty(WarmUpPolicy.PROPERTY);
        WarmUpPolicy.forJob(List.of(new Inputs.Shape(10, 64)), 8, 64, ctx);
        assertEquals(before, System.getProperty(WarmUpPolicy.PROPERTY));
        assertNull(before);
    }
}
