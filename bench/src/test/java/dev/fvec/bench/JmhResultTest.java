package dev.fvec.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading JMH's JSON: the fields the report uses, including JMH's string-encoded numbers. */
class JmhResultTest {

    // Shaped like JMH 1.37's -rf json output, trimmed to what is read, with values chosen here.
    private static final String SAMPLE = """
            [ {
              "jmhVersion" : "1.37", "benchmark" : "dev.fvec.bench.TailLatencyBench.twoThreads",
              "mode" : "sample", "threads" : 2, "forks" : 1,
              "jvmArgs" : [ "--add-modules", "jdk.incubator.vector" ],
              "jdkVersion" : "25.0.3", "vmName" : "OpenJDK 64-Bit Server VM", "vmVersion" : "25.0.3+9-LTS",
              "params" : { "kernel" : "simd", "shape" : "64x256x1000" },
              "primaryMetric" : {
                "score" : 1450.5, "scoreError" : "NaN", "scoreUnit" : "us/op",
                "scorePercentiles" : { "50.0" : 1390.0, "99.9" : "Infinity" },
                "rawDataHistogram" : [ [ [ [ 1390.0, 3 ], [ 1500.0, 4 ] ] ], [ [ [ 1600.0, 5 ] ] ] ]
              },
              "secondaryMetrics" : {
                "·gc.alloc.rate" : { "score" : 7.0 },
                "·gc.alloc.rate.norm" : { "score" : 0.5 }
              }
            }, {
              "benchmark" : "dev.fvec.bench.VlfeatBench.encode", "mode" : "avgt", "threads" : 1,
              "params" : { "shape" : "5x3x7" },
              "primaryMetric" : { "score" : 2.0, "scoreError" : 0.25, "scoreUnit" : "us/op" }
            } ]
            """;

    @Test
    void readsTheFieldsTheReportUses(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("jmh.json"), SAMPLE);
        List<JmhResult> rows = JmhResult.read(file);
        assertEquals(2, rows.size());
        JmhResult tail = rows.get(0);
        assertEquals("TailLatencyBench", tail.bench);
        assertEquals("twoThreads", tail.method);
        assertEquals(2, tail.threads);
        assertEquals(Map.of("kernel", "simd", "shape", "64x256x1000"), tail.params);
        assertEquals("simd", tail.impl());
        assertEquals(1450.5, tail.score);
        assertTrue(Double.isNaN(tail.error), "\"NaN\" is a number to JMH");
        assertEquals(Double.POSITIVE_INFINITY, tail.percentiles.get("99.9"));
        assertEquals(12, tail.samples, "3 + 4 + 5 samples over two iterations");
        assertEquals(0.5, tail.allocPerOp);
        assertEquals("--add-modules jdk.incubator.vector", tail.jvmArgs);
        assertEquals("OpenJDK 64-Bit Server VM 25.0.3+9-LTS (JDK 25.0.3)", tail.jdk);

        JmhResult vl = rows.get(1);
        assertEquals(JmhResult.VLFEAT, vl.impl());
        assertEquals(0.25, vl.error);
        assertEquals(0, vl.samples);
        assertTrue(Double.isNaN(vl.allocPerOp), "no -prof gc: no allocation figure");
    }

    @Test
    void aFileThatIsNotAnArrayIsNamed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("odd.json"), "{\"benchmark\": \"x\"}");
        IOException e = assertThrows(IOException.class, () -> JmhResult.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not a JMH JSON result file"), e.getMessage());
    }
}
