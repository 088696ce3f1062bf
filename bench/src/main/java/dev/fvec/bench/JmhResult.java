package dev.fvec.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One result of JMH's {@code -rf json} output, with the fields the report uses. */
final class JmhResult {

    static final String VLFEAT = "VLFeat";

    private static final ObjectMapper JSON = new ObjectMapper();

    String bench; // simple class name
    String method;
    String mode;
    int threads;
    final Map<String, String> params = new LinkedHashMap<>();
    double score;
    double error;
    String unit;
    final Map<String, Double> percentiles = new LinkedHashMap<>();
    long samples;
    double allocPerOp = Double.NaN;
    String jdk;
    String jvmArgs;
    String jmh;
    String jdkVersion;

    /** A {@code @Param} value, or "" when the benchmark has no such parameter. */
    String p(String name) {
        return params.getOrDefault(name, "");
    }

    /** scalar, simd or VLFeat; simd at a forced width (fork flag {@code -Dfvec.simd.bits=N}) is {@code simd N-bit}. */
    String impl() {
        if (bench.equals("VlfeatBench")) {
            return VLFEAT;
        }
        String bits = forcedBits();
        return bits.isEmpty() || !p("kernel").equals("simd") ? p("kernel") : p("kernel") + " " + bits + "-bit";
    }

    /** The N of a {@code -Dfvec.simd.bits=N} fork flag, or "". */
    String forcedBits() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Dfvec\\.simd\\.bits=(\\d+)")
                .matcher(jvmArgs == null ? "" : jvmArgs);
        return m.find() ? m.group(1) : "";
    }

    /**
     * The encode results of {@link Report#HEADLINE_VARIANT}, by shape (in result order), then by
     * implementation (scalar, simd, VLFeat).
     */
    static Map<String, Map<String, JmhResult>> headline(List<JmhResult> rows) {
        Map<String, Map<String, JmhResult>> byShape = new LinkedHashMap<>();
        for (JmhResult r : rows) {
            if ((r.bench.equals("EncodeBench") || r.bench.equals("VlfeatBench"))
                    && r.p("variant").equals(Report.HEADLINE_VARIANT)) {
                byShape.computeIfAbsent(r.p("shape"), k -> new LinkedHashMap<>()).put(r.impl(), r);
            }
        }
        return byShape;
    }

    /** The results of one benchmark class, ordered by shape, variant, kernel (scalar first), then threads. */
    static List<JmhResult> select(List<JmhResult> rows, String bench) {
        List<JmhResult> out = new ArrayList<>();
        for (JmhResult r : rows) {
            if (r.bench.equals(bench)) {
                out.add(r);
            }
        }
        out.sort(Comparator.comparing((JmhResult r) -> r.p("shape")).thenComparing(r -> r.p("variant"))
                .thenComparing(r -> r.p("dk")).thenComparing(r -> r.p("kernel")).thenComparingInt(r -> r.threads));
        return out;
    }

    /** Every result in one JMH JSON file (an array of results). */
    static List<JmhResult> read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": not a JMH JSON result file (expected an array of results)");
        }
        List<JmhResult> rows = new ArrayList<>();
        for (JsonNode m : root) {
            rows.add(of(m));
        }
        return rows;
    }

    private static JmhResult of(JsonNode m) {
        JmhResult r = new JmhResult();
        String full = m.path("benchmark").asText();
        int dot = full.lastIndexOf('.');
        r.method = full.substring(dot + 1);
        String cls = dot < 0 ? "" : full.substring(0, dot);
        r.bench = cls.substring(cls.lastIndexOf('.') + 1);
        r.mode = m.path("mode").asText();
        r.threads = m.path("threads").asInt();
        m.path("params").properties().forEach(e -> r.params.put(e.getKey(), e.getValue().asText()));
        JsonNode pm = m.path("primaryMetric");
        r.score = number(pm.path("score"));
        r.error = number(pm.path("scoreError"));
        r.unit = pm.path("scoreUnit").asText();
        pm.path("scorePercentiles").properties().forEach(e -> r.percentiles.put(e.getKey(), number(e.getValue())));
        // rawDataHistogram: per iteration, per fork, [value, count] pairs (sample mode only).
        for (JsonNode iteration : pm.path("rawDataHistogram")) {
            for (JsonNode fork : iteration) {
                for (JsonNode pair : fork) {
                    if (pair.size() == 2) {
                        r.samples += (long) number(pair.get(1));
                    }
                }
            }
        }
        m.path("secondaryMetrics").properties().forEach(e -> {
            if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                r.allocPerOp = number(e.getValue().path("score"));
            }
        });
        r.jmh = m.path("jmhVersion").asText();
        r.jdkVersion = m.path("jdkVersion").asText();
        r.jdk = m.path("vmName").asText() + " " + m.path("vmVersion").asText() + " (JDK " + r.jdkVersion + ")";
        List<String> args = new ArrayList<>();
        m.path("jvmArgs").forEach(a -> args.add(a.asText()));
        r.jvmArgs = String.join(" ", args);
        return r;
    }

    /** A number, or a string JMH writes for one ({@code "NaN"}, {@code "Infinity"}); NaN otherwise. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
