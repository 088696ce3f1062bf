package dev.fvec.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * Turns JMH JSON results into {@code results.md} (tables with score, error and ratios computed from
 * the same run; {@link ReportTables}) and {@code chart.png} ({@link ReportChart}, JFreeChart in
 * headless AWT). Jackson reads the JSON ({@link JmhResult}). {@code run.sh} calls it:
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
        List<JmhResult> rows = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.size(p) > 0) {
                rows.addAll(JmhResult.read(p));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), ReportTables.markdown(rows, props), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("headline.md"), ReportTables.headlineMarkdown(rows, props), StandardCharsets.UTF_8);
        ImageIO.write(ReportChart.chart(rows, props), "png", out.resolve("chart.png").toFile());
        System.out.println("wrote " + out.resolve("results.md") + " and " + out.resolve("chart.png") + " from "
                + rows.size() + " results");
    }
}
