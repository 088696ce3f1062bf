package dev.fvec.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Turns JMH JSON results into {@code results.md} (tables with score, error and ratios computed from
 * the same run) and {@code chart.png}. Plain Java (AWT in headless mode), so it runs wherever the
 * benchmarks do; {@code run.sh} calls it:
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.fvec.bench.Report --out bench/results \
 *      --meta bench/results/meta.properties bench/results/jmh-*.json
 * </pre>
 *
 * {@code meta.properties} (written by run.sh) carries what JMH's JSON does not: CPU model, the exact
 * command, the JMH flags of each group, VLFeat's version, the git commit.
 */
public final class Report {

    /** The variant the headline table and chart are about. */
    static final String HEADLINE_VARIANT = "vlfeat-improved-t1e-6";
    static final String HEADLINE_SHAPE = "64x256x1000";
    static final String VLFEAT = "VLFeat";

    /** One JMH result. */
    static final class Row {
        String bench; // simple class name
        String method;
        String mode;
        int threads;
        Map<String, String> params = new LinkedHashMap<>();
        double score;
        double error;
        String unit;
        Map<String, Double> percentiles = new LinkedHashMap<>();
        long samples;
        double allocPerOp = Double.NaN;
        String jdk;
        String jvmArgs;
        String jmh;
        String jdkVersion;

        String p(String name) {
            return params.getOrDefault(name, "");
        }

        /** scalar, simd or VLFeat. */
        String impl() {
            return bench.equals("VlfeatBench") ? VLFEAT : p("kernel");
        }
    }

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("bench/results");
        Path meta = null;
        List<Path> inputs = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--out")) {
                out = Path.of(args[++a]);
            } else if (args[a].equals("--meta")) {
                meta = Path.of(args[++a]);
            } else {
                inputs.add(Path.of(args[a]));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("usage: Report [--out DIR] [--meta FILE] result.json...");
            System.exit(2);
        }
        Properties props = new Properties();
        if (meta != null && Files.exists(meta)) {
            try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
                props.load(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.size(p) > 0) {
                rows.addAll(read(p));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), markdown(rows, props), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("headline.md"), headlineMarkdown(rows, props), StandardCharsets.UTF_8);
        ImageIO.write(chart(rows, props), "png", out.resolve("chart.png").toFile());
        System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("chart.png") + " from "
                + rows.size() + " results");
    }

    static List<Row> read(Path file) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Object o : Json.array(Json.parse(Files.readString(file, StandardCharsets.UTF_8)))) {
            Map<String, Object> m = Json.object(o);
            Row r = new Row();
            String full = String.valueOf(m.get("benchmark"));
            int dot = full.lastIndexOf('.');
            r.method = full.substring(dot + 1);
            String cls = full.substring(0, dot);
            r.bench = cls.substring(cls.lastIndexOf('.') + 1);
            r.mode = String.valueOf(m.get("mode"));
            r.threads = (int) Json.number(m.get("threads"));
            for (Map.Entry<String, Object> e : Json.object(m.get("params")).entrySet()) {
                r.params.put(e.getKey(), String.valueOf(e.getValue()));
            }
            Map<String, Object> pm = Json.object(m.get("primaryMetric"));
            r.score = Json.number(pm.get("score"));
            r.error = Json.number(pm.get("scoreError"));
            r.unit = String.valueOf(pm.get("scoreUnit"));
            for (Map.Entry<String, Object> e : Json.object(pm.get("scorePercentiles")).entrySet()) {
                r.percentiles.put(e.getKey(), Json.number(e.getValue()));
            }
            for (Object iteration : Json.array(pm.get("rawDataHistogram"))) {
                for (Object fork : Json.array(iteration)) {
                    for (Object pair : Json.array(fork)) {
                        List<Object> vc = Json.array(pair);
                        if (vc.size() == 2) {
                            r.samples += (long) Json.number(vc.get(1));
                        }
                    }
                }
            }
            for (Map.Entry<String, Object> e : Json.object(m.get("secondaryMetrics")).entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    r.allocPerOp = Json.number(Json.object(e.getValue()).get("score"));
                }
            }
            r.jmh = String.valueOf(m.get("jmhVersion"));
            r.jdkVersion = String.valueOf(m.get("jdkVersion"));
            r.jdk = m.get("vmName") + " " + m.get("vmVersion") + " (JDK " + m.get("jdkVersion") + ")";
            r.jvmArgs = String.join(" ", Json.array(m.get("jvmArgs")).stream().map(String::valueOf).toArray(String[]::new));
            rows.add(r);
        }
        return rows;
    }

    // ---------------------------------------------------------------- Markdown

    /** The README's excerpt: where and how it was measured, the headline table, tail latency. */
    static String headlineMarkdown(List<Row> rows, Properties meta) {
        StringBuilder b = new StringBuilder();
        String jdk = rows.isEmpty() ? "?" : rows.get(0).jdk;
        b.append("Measured on ").append(meta.getProperty("cpu", "?")).append(" (").append(meta.getProperty("cores", "?"))
                .append(" logical cores, shared), ").append(jdk).append(", JMH ")
                .append(rows.isEmpty() ? "?" : rows.get(0).jmh).append(", ")
                .append(meta.getProperty("vlfeat", "VLFeat not measured")).append("; fvec commit ")
                .append(meta.getProperty("commit", "?")).append(", ").append(meta.getProperty("date", "?"))
                .append(", with `").append(meta.getProperty("command", "?")).append("`.\n\n");
        headlineTable(b, rows);
        tailTable(b, rows);
        return b.toString().replace("\n## ", "\n### ").replaceFirst("^## ", "### ");
    }

    static String markdown(List<Row> rows, Properties meta) {
        StringBuilder b = new StringBuilder();
        b.append("# fvec benchmark results\n\n");
        b.append("Measured on this machine, in one run of `").append(meta.getProperty("command", "(unknown command)"))
                .append("`. Every ratio below compares numbers from this same run.\n\n");
        Set<String> jdks = new LinkedHashSet<>();
        Set<String> jvmArgs = new LinkedHashSet<>();
        for (Row r : rows) {
            meta.putIfAbsent("jmh", r.jmh);
            jdks.add(r.jdk);
            jvmArgs.add(r.jvmArgs);
        }
        b.append("| | |\n|---|---|\n");
        row(b, "CPU", meta.getProperty("cpu", "?") + ", " + meta.getProperty("cores", "?") + " logical cores"
                + " (shared with other work: expect noise)"
                + (meta.getProperty("cpuFlags", "").isEmpty() ? "" : "; SIMD flags: " + meta.getProperty("cpuFlags")));
        row(b, "JVM", String.join("; ", jdks));
        row(b, "fork JVM flags", String.join("; ", jvmArgs));
        row(b, "JMH", meta.getProperty("jmh", "1.37") + ", flags per group below");
        row(b, "VLFeat", meta.getProperty("vlfeat", "not measured"));
        row(b, "fvec", "commit " + meta.getProperty("commit", "?"));
        if (meta.getProperty("loadBefore") != null) {
            row(b, "load average (1, 5, 15 min)", "before " + meta.getProperty("loadBefore") + "; after "
                    + meta.getProperty("loadAfter", "?"));
        }
        row(b, "date", meta.getProperty("date", "?"));
        for (String k : new java.util.TreeSet<>(meta.stringPropertyNames())) {
            if (k.startsWith("flags.")) {
                row(b, "JMH flags, " + k.substring(6), "`" + meta.getProperty(k) + "`");
            }
        }
        b.append('\n');

        headlineTable(b, rows);
        encodeTable(b, rows);
        batchTable(b, rows);
        tailTable(b, rows);
        estepTable(b, rows);

        b.append("## How to read this\n\n");
        b.append("- Scores are JMH means with their 99.9% confidence half-width (`± error`); with one fork and few"
                + " iterations the error is wide, and a 2-core machine shared with other work adds noise."
                + " Ratios are quotients of the means, not significance tests.\n");
        b.append("- fvec `scalar` is the plain-Java reference (double precision); `simd` is the Vector API kernel"
                + " (float log-likelihoods and block sums, double statistics). VLFeat is Debian's `libvl.so.1`, called"
                + " through `java.lang.foreign` with `vl_set_num_threads(1)` on the same float32 input;"
                + " it works in float throughout and allocates its posterior matrix on every call.\n");
        b.append("- Each benchmark checked its answer once before timing (simd vs scalar, VLFeat vs fvec's VLFEAT form,"
                + " golden cases vs their expected files).\n");
        b.append("- Inputs: seeded synthetic descriptors (mixture of anisotropic, rotated Gaussians with a decaying"
                + " spectrum) and a model derived from a separate training part of the same stream; see"
                + " `bench/src/main/java/dev/fvec/bench/Inputs.java`.\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    /** One row per shape for the headline variant: the three implementations side by side. */
    private static void headlineTable(StringBuilder b, List<Row> rows) {
        Map<String, Map<String, Row>> byShape = headline(rows);
        if (byShape.isEmpty()) {
            return;
        }
        b.append("## Headline: ").append(HEADLINE_VARIANT).append(", one thread\n\n");
        b.append("VLFeat's improved Fisher vector (signed square root, L2; posteriors below 1e-6 dropped), time per"
                + " encode of N descriptors. Speed-ups are the other's time divided by simd's.\n\n");
        b.append("| D | K | N | input | scalar | simd | VLFeat | simd vs scalar | simd vs VLFeat |\n");
        b.append("|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Row>> e : byShape.entrySet()) {
            String[] dkn = dkn(e.getKey());
            Row sc = e.getValue().get("scalar");
            Row si = e.getValue().get("simd");
            Row vl = e.getValue().get(VLFEAT);
            b.append("| ").append(dkn[0]).append(" | ").append(dkn[1]).append(" | ").append(dkn[2]).append(" | ")
                    .append(input(e.getKey()));
            for (Row r : new Row[] {sc, si, vl}) {
                b.append(" | ").append(r == null ? "" : time(r.score, r.unit)
                        + (Double.isNaN(r.error) ? "" : " ± " + time(r.error, r.unit)));
            }
            b.append(" | ").append(sc == null || si == null ? "" : ratio(sc.score / si.score));
            b.append(" | ").append(vl == null || si == null ? "" : ratio(vl.score / si.score)).append(" |\n");
        }
        b.append('\n');
    }

    private static Map<String, Map<String, Row>> headline(List<Row> rows) {
        Map<String, Map<String, Row>> byShape = new LinkedHashMap<>();
        for (Row r : rows) {
            if ((r.bench.equals("EncodeBench") || r.bench.equals("VlfeatBench")) && r.p("variant").equals(HEADLINE_VARIANT)) {
                byShape.computeIfAbsent(r.p("shape"), k -> new LinkedHashMap<>()).put(r.impl(), r);
            }
        }
        return byShape;
    }

    private static void encodeTable(StringBuilder b, List<Row> rows) {
        Map<String, Map<String, Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.bench.equals("EncodeBench") || r.bench.equals("VlfeatBench")) {
                groups.computeIfAbsent(r.p("shape") + "|" + r.p("variant"), k -> new LinkedHashMap<>()).put(r.impl(), r);
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        b.append("## Encode latency, one thread\n\n");
        b.append("Time for one `encode` of N descriptors into one Fisher vector (lower is better)."
                + " \"vs scalar\" and \"vs VLFeat\" are speed-ups: the other's time divided by this one's"
                + " (above 1 = faster). Allocation is JMH's `-prof gc` `gc.alloc.rate.norm` (bytes per encode)"
                + " where that profiler ran; for VLFeat it sees only Java-heap allocation, not VLFeat's malloc. JMH's own"
                + " per-iteration allocation (a few kB) is spread over the operations of an iteration, so millisecond"
                + " operations show tens to hundreds of bytes per op even when the timed code allocates nothing;"
                + " the microsecond shape shows the true figure.\n\n");
        b.append("| D | K | N | input | variant | implementation | time per encode | ± error | alloc B/op | vs scalar | vs VLFeat |\n");
        b.append("|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Map<String, Row> g : groups.values()) {
            Row scalar = g.get("scalar");
            Row vl = g.get(VLFEAT);
            for (String impl : new String[] {"scalar", "simd", VLFEAT}) {
                Row r = g.get(impl);
                if (r == null) {
                    continue;
                }
                String[] dkn = dkn(r.p("shape"));
                b.append("| ").append(dkn[0]).append(" | ").append(dkn[1]).append(" | ").append(dkn[2]).append(" | ")
                        .append(input(r.p("shape"))).append(" | ").append(r.p("variant")).append(" | ").append(impl)
                        .append(" | ").append(time(r.score, r.unit)).append(" | ").append(time(r.error, r.unit))
                        .append(" | ").append(Double.isNaN(r.allocPerOp) ? "" : String.format(Locale.ROOT, "%.0f", r.allocPerOp))
                        .append(" | ").append(scalar == null || impl.equals("scalar") ? "" : ratio(scalar.score / r.score))
                        .append(" | ").append(vl == null || impl.equals(VLFEAT) ? "" : ratio(vl.score / r.score))
                        .append(" |\n");
            }
        }
        b.append('\n');
    }

    private static void batchTable(StringBuilder b, List<Row> rows) {
        List<Row> batch = select(rows, "BatchBench");
        if (batch.isEmpty()) {
            return;
        }
        b.append("## Batch throughput, one shared encoder\n\n");
        b.append("Images (sets of N descriptors) encoded per second, summed over the threads, each thread cycling"
                + " through ").append(SharedEncoder.IMAGES).append(" distinct images.\n\n");
        b.append("| shape DxKxN | variant | kernel | threads | encodes/s | ± error | vs 1 thread |\n");
        b.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : batch) {
            Row one = find(batch, r.p("kernel"), 1, r);
            b.append("| ").append(r.p("shape")).append(" | ").append(r.p("variant")).append(" | ").append(r.p("kernel"))
                    .append(" | ").append(r.threads).append(" | ").append(num(r.score)).append(" | ").append(num(r.error))
                    .append(" | ").append(one == null ? "" : ratio(r.score / one.score)).append(" |\n");
        }
        b.append('\n');
    }

    private static void tailTable(StringBuilder b, List<Row> rows) {
        List<Row> tail = select(rows, "TailLatencyBench");
        if (tail.isEmpty()) {
            return;
        }
        b.append("## Tail latency, 1 and 2 concurrent callers\n\n");
        b.append("Per-call encode latency from JMH sample mode (every call timed), callers sharing one encoder;"
                + " with 2 callers the samples of both are pooled.\n\n");
        b.append("| shape DxKxN | variant | kernel | callers | samples | p50 | p90 | p99 | p99.9 | max |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : tail) {
            b.append("| ").append(r.p("shape")).append(" | ").append(r.p("variant")).append(" | ").append(r.p("kernel"))
                    .append(" | ").append(r.threads).append(" | ").append(r.samples);
            for (String q : new String[] {"50.0", "90.0", "99.0", "99.9", "100.0"}) {
                b.append(" | ").append(time(r.percentiles.getOrDefault(q, Double.NaN), r.unit));
            }
            b.append(" |\n");
        }
        b.append('\n');
    }

    private static void estepTable(StringBuilder b, List<Row> rows) {
        List<Row> es = select(rows, "EStepBench");
        if (es.isEmpty()) {
            return;
        }
        b.append("## EM E-step, per descriptor\n\n");
        b.append("`StatisticsKernel.accumulate` (posteriors, log-likelihood, S0, S1, S2) over blocks of ")
                .append(EStepBench.BLOCK).append(" descriptors with threshold ").append(EStepBench.THRESHOLD)
                .append(", time per descriptor.\n\n");
        b.append("| D | K | kernel | time per descriptor | ± error | vs scalar |\n|---:|---:|---|---:|---:|---:|\n");
        for (Row r : es) {
            Row scalar = null;
            for (Row s : es) {
                if (s.p("dk").equals(r.p("dk")) && s.p("kernel").equals("scalar")) {
                    scalar = s;
                }
            }
            String[] dk = r.p("dk").split("x");
            b.append("| ").append(dk[0]).append(" | ").append(dk.length > 1 ? dk[1] : "").append(" | ").append(r.p("kernel"))
                    .append(" | ").append(time(r.score, r.unit)).append(" | ").append(time(r.error, r.unit)).append(" | ")
                    .append(scalar == null || scalar == r ? "" : ratio(scalar.score / r.score)).append(" |\n");
        }
        b.append('\n');
    }

    /** The rows of one benchmark class, ordered by kernel (scalar first) then thread count. */
    private static List<Row> select(List<Row> rows, String bench) {
        List<Row> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.bench.equals(bench)) {
                out.add(r);
            }
        }
        out.sort(java.util.Comparator.comparing((Row r) -> r.p("shape")).thenComparing(r -> r.p("variant"))
                .thenComparing(r -> r.p("dk")).thenComparing(r -> r.p("kernel")).thenComparingInt(r -> r.threads));
        return out;
    }

    private static Row find(List<Row> rows, String kernel, int threads, Row like) {
        for (Row r : rows) {
            if (r.p("kernel").equals(kernel) && r.threads == threads && r.p("shape").equals(like.p("shape"))
                    && r.p("variant").equals(like.p("variant"))) {
                return r;
            }
        }
        return null;
    }

    /** D, K, N of a shape: {@code DxKxN}, or parsed from a golden case name such as {@code golden:a_D64_K256_N1000}. */
    static String[] dkn(String shape) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("_D(\\d+)_K(\\d+)_N(\\d+)$").matcher(shape);
        if (m.find()) {
            return new String[] {m.group(1), m.group(2), m.group(3)};
        }
        String[] p = shape.split("x");
        return p.length == 3 ? p : new String[] {shape, "", ""};
    }

    /** "synthetic", or the golden case's name. */
    static String input(String shape) {
        return shape.startsWith("golden:") ? "golden " + shape.substring("golden:".length()) : "synthetic";
    }

    /** A time in JMH's unit, shown in the most readable of ns, µs, ms. */
    static String time(double v, String unit) {
        if (Double.isNaN(v)) {
            return "";
        }
        double ns = v * (unit.startsWith("ns") ? 1 : unit.startsWith("us") ? 1e3 : unit.startsWith("ms") ? 1e6
                : unit.startsWith("s") ? 1e9 : Double.NaN);
        if (Double.isNaN(ns)) {
            return num(v) + " " + unit;
        }
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.1f ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }

    static String num(double v) {
        return Double.isNaN(v) ? "" : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : String.format(Locale.ROOT, "%.2f×", r);
    }

    // ---------------------------------------------------------------- chart

    private static final Color[] IMPL_COLORS = {new Color(0x8c8c8c), new Color(0x1f77b4), new Color(0xd62728)};
    private static final String[] IMPLS = {"scalar", "simd", VLFEAT};

    /**
     * Left: encode time of each implementation relative to VLFeat's (or to scalar's when VLFeat was
     * not measured) for the headline variant, one group per shape, absolute time printed on each bar.
     * Right: tail latency percentiles for 1 and 2 callers.
     */
    static BufferedImage chart(List<Row> rows, Properties meta) {
        for (Row r : rows) {
            meta.putIfAbsent("jmh", r.jmh);
            meta.putIfAbsent("jdkVersion", r.jdkVersion);
        }
        int w = 1200;
        int h = 560;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("fvec encode benchmarks — " + meta.getProperty("cpu", "this machine") + ", "
                + "JDK " + meta.getProperty("jdkVersion", "?"), 20, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("JMH " + meta.getProperty("jmh", "1.37") + ", one fork, short runs on a shared 2-core machine;"
                + " see results.md for errors and the exact command", 20, 46);
        encodePanel(g, rows, 20, 70, 700, h - 90);
        tailPanel(g, rows, 760, 70, 420, h - 90);
        g.dispose();
        return img;
    }

    private static void encodePanel(Graphics2D g, List<Row> rows, int x0, int y0, int pw, int ph) {
        Map<String, Map<String, Row>> byShape = headline(rows);
        boolean haveVl = false;
        for (Map<String, Row> m : byShape.values()) {
            haveVl |= m.containsKey(VLFEAT);
        }
        String base = haveVl ? VLFEAT : "scalar";
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString("Encode time relative to " + base + " (" + HEADLINE_VARIANT + ", 1 thread; lower is faster)", x0, y0 + 12);
        if (byShape.isEmpty()) {
            g.drawString("(no encode results)", x0, y0 + 40);
            return;
        }
        int top = y0 + 50;
        int left = x0 + 110;
        int right = x0 + pw - 20;
        int bottom = y0 + ph - 30;
        double max = 1.2;
        for (Map<String, Row> m : byShape.values()) {
            Row b = m.get(base);
            for (Row r : m.values()) {
                if (b != null) {
                    max = Math.max(max, r.score / b.score);
                }
            }
        }
        max = Math.ceil(max * 4) / 4;
        // axis and the "= base" line
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (double t = 0; t <= max + 1e-9; t += max > 3 ? 1 : 0.25) {
            int x = left + (int) ((right - left) * t / max);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x, top - 6, x, bottom);
            g.setColor(Color.DARK_GRAY);
            String s = String.format(Locale.ROOT, "%.2f", t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, bottom + 14);
        }
        int one = left + (int) ((right - left) / max);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        g.drawLine(one, top - 6, one, bottom);
        g.setStroke(new BasicStroke(1));
        int groupH = (bottom - top) / byShape.size();
        int barH = Math.max(8, Math.min(26, (groupH - 14) / 3));
        int gi = 0;
        for (Map.Entry<String, Map<String, Row>> e : byShape.entrySet()) {
            int gy = top + gi++ * groupH;
            String[] dkn = dkn(e.getKey());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString("D=" + dkn[0] + " K=" + dkn[1], x0, gy + barH + 4);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("N=" + dkn[2], x0, gy + barH + 20);
            if (e.getKey().startsWith("golden:")) {
                g.drawString("golden " + e.getKey().substring(7, 8), x0, gy + barH + 36);
            }
            Row b = e.getValue().get(base);
            int bi = 0;
            for (int i = 0; i < IMPLS.length; i++) {
                Row r = e.getValue().get(IMPLS[i]);
                if (r == null || b == null) {
                    continue;
                }
                double rel = r.score / b.score;
                int y = gy + bi++ * barH;
                int len = (int) ((right - left) * rel / max);
                g.setColor(IMPL_COLORS[i]);
                g.fillRect(left, y, Math.max(1, len), barH - 3);
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                String label = IMPLS[i] + "  " + time(r.score, r.unit) + (r == b ? "" : String.format(Locale.ROOT, "  (time %.2f×)", rel));
                FontMetrics fm = g.getFontMetrics();
                int tx = left + len + 4;
                if (tx + fm.stringWidth(label) > right + 15) {
                    tx = left + 4;
                    g.setColor(Color.WHITE);
                }
                g.drawString(label, tx, y + barH - 7);
            }
        }
    }

    private static void tailPanel(Graphics2D g, List<Row> rows, int x0, int y0, int pw, int ph) {
        List<Row> tail = select(rows, "TailLatencyBench");
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("Tail latency per encode (" + (tail.isEmpty() ? HEADLINE_SHAPE : tail.get(0).p("shape")) + ")", x0, y0 + 12);
        if (tail.isEmpty()) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("(no tail-latency results)", x0, y0 + 40);
            return;
        }
        String[] qs = {"50.0", "99.0", "99.9"};
        Color[] qc = {new Color(0x9ecae1), new Color(0x3182bd), new Color(0x08306b)};
        double maxMs = 0;
        for (Row r : tail) {
            for (String q : qs) {
                maxMs = Math.max(maxMs, toMs(r.percentiles.getOrDefault(q, 0.0), r.unit));
            }
        }
        maxMs = niceCeil(maxMs);
        int top = y0 + 50;
        int left = x0 + 50;
        int right = x0 + pw - 10;
        int bottom = y0 + ph - 50;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int t = 0; t <= 5; t++) {
            double v = maxMs * t / 5;
            int y = bottom - (int) ((bottom - top) * t / 5.0);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", v), x0, y + 4);
        }
        g.drawString("ms", x0, top - 12);
        int groupW = (right - left) / tail.size();
        int barW = Math.max(6, (groupW - 16) / qs.length);
        for (int i = 0; i < tail.size(); i++) {
            Row r = tail.get(i);
            int gx = left + i * groupW + 8;
            for (int q = 0; q < qs.length; q++) {
                double ms = toMs(r.percentiles.getOrDefault(qs[q], 0.0), r.unit);
                int hgt = (int) ((bottom - top) * ms / maxMs);
                g.setColor(qc[q]);
                g.fillRect(gx + q * barW, bottom - hgt, barW - 2, hgt);
            }
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            String l1 = r.p("kernel");
            String l2 = r.threads + (r.threads == 1 ? " caller" : " callers");
            int cx = gx + barW * qs.length / 2;
            g.drawString(l1, cx - g.getFontMetrics().stringWidth(l1) / 2, bottom + 14);
            g.drawString(l2, cx - g.getFontMetrics().stringWidth(l2) / 2, bottom + 28);
        }
        int lx = left;
        for (int q = 0; q < qs.length; q++) {
            g.setColor(qc[q]);
            g.fillRect(lx, y0 + 24, 12, 12);
            g.setColor(Color.BLACK);
            String s = "p" + qs[q].replace(".0", "");
            g.drawString(s, lx + 16, y0 + 34);
            lx += 70;
        }
    }

    private static double toMs(double v, String unit) {
        return v * (unit.startsWith("ns") ? 1e-6 : unit.startsWith("us") ? 1e-3 : unit.startsWith("ms") ? 1 : 1e3);
    }

    private static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
