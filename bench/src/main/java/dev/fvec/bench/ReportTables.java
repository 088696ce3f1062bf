package dev.fvec.bench;

import static dev.fvec.bench.Formats.dkn;
import static dev.fvec.bench.Formats.input;
import static dev.fvec.bench.Formats.num;
import static dev.fvec.bench.Formats.ratio;
import static dev.fvec.bench.Formats.time;
import static dev.fvec.bench.JmhResult.VLFEAT;
import static dev.fvec.bench.Report.HEADLINE_VARIANT;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The Markdown side of {@link Report}: {@code results.md} (every table, with where and how it was
 * measured) and {@code headline.md} (the README's excerpt). Ratios are computed from results of the
 * same run only.
 */
final class ReportTables {

    private ReportTables() {
    }

    /** The README's excerpt: where and how it was measured, the headline table, tail latency. */
    static String headlineMarkdown(List<JmhResult> rows, Properties meta) {
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

    static String markdown(List<JmhResult> rows, Properties meta) {
        StringBuilder b = new StringBuilder();
        b.append("# fvec benchmark results\n\n");
        b.append("Measured on this machine, in one run of `").append(meta.getProperty("command", "(unknown command)"))
                .append("`. Every ratio below compares numbers from this same run.\n\n");
        Set<String> jdks = new LinkedHashSet<>();
        Set<String> jvmArgs = new LinkedHashSet<>();
        for (JmhResult r : rows) {
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
        pcaTable(b, rows);
        fmaTable(b, rows);

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

    /**
     * The SIMD log-likelihood pass against the FMA peak of the same run, per width: the pass does
     * 2 FMA-unit operations per (descriptor, padded component, dimension) term at {@code bits / 32}
     * lanes per vector, so its vector FMAs per call are {@code 2 N Kpad D / lanes}.
     */
    private static void fmaTable(StringBuilder b, List<JmhResult> rows) {
        List<JmhResult> peaks = JmhResult.select(rows, "FmaPeakBench");
        List<JmhResult> passes = JmhResult.select(rows, "LogLikelihoodBench");
        if (peaks.isEmpty() || passes.isEmpty()) {
            return;
        }
        b.append("## Log-likelihood pass vs FMA peak, one thread\n\n");
        b.append("`FmaPeakBench`: 16 independent register FMA chains, time per vector FMA. `LogLikelihoodBench`: the"
                + " kernel's unpruned log-likelihood pass alone (2-FMA form, register-blocked) over N descriptors,"
                + " 2 vector FMAs per padded component, dimension and descriptor and vector of lanes; its share of"
                + " the peak = peak time x FMAs / pass time.\n\n");
        b.append("| width | D | K | N | lanes | FMA peak (ns per vector FMA) | pass | vector FMAs | share of peak |\n");
        b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JmhResult r : passes) {
            JmhResult peak = null;
            for (JmhResult p : peaks) {
                if (p.p("bits").equals(r.p("bits"))) {
                    peak = p;
                }
            }
            String bits = r.p("bits");
            String[] dkn = dkn(r.p("shape"));
            if (peak == null || !bits.matches("\\d+") || dkn.length < 3) {
                continue;
            }
            int lanes = Integer.parseInt(bits) / 32;
            long d = Long.parseLong(dkn[0]);
            long k = Long.parseLong(dkn[1]);
            long n = Long.parseLong(dkn[2]);
            long kpad = (k + lanes - 1) / lanes * lanes;
            double fmas = 2.0 * n * kpad * d / lanes;
            double passNs = nanos(r.score, r.unit);
            double peakNs = nanos(peak.score, peak.unit);
            b.append("| ").append(bits).append(" | ").append(d).append(" | ").append(k).append(" | ").append(n)
                    .append(" | ").append(lanes).append(" | ").append(String.format(Locale.ROOT, "%.3f", peakNs))
                    .append(" | ").append(time(r.score, r.unit)).append(" | ").append(String.format(Locale.ROOT, "%.3g", fmas))
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f%%", 100 * peakNs * fmas / passNs))
                    .append(" |\n");
        }
        b.append('\n');
    }

    private static double nanos(double v, String unit) {
        return unit.startsWith("us") ? v * 1e3 : unit.startsWith("ms") ? v * 1e6 : unit.startsWith("s/") ? v * 1e9 : v;
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    /** One row per shape for the headline variant: the three implementations side by side. */
    private static void headlineTable(StringBuilder b, List<JmhResult> rows) {
        Map<String, Map<String, JmhResult>> byShape = JmhResult.headline(rows);
        if (byShape.isEmpty()) {
            return;
        }
        b.append("## Headline: ").append(HEADLINE_VARIANT).append(", one thread\n\n");
        b.append("VLFeat's improved Fisher vector (signed square root, L2; posteriors below 1e-6 dropped), time per"
                + " encode of N descriptors. Speed-ups are the other's time divided by simd's.\n\n");
        b.append("| D | K | N | input | scalar | simd | VLFeat | simd vs scalar | simd vs VLFeat |\n");
        b.append("|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, JmhResult>> e : byShape.entrySet()) {
            String[] dkn = dkn(e.getKey());
            JmhResult sc = e.getValue().get("scalar");
            JmhResult si = e.getValue().get("simd");
            JmhResult vl = e.getValue().get(VLFEAT);
            b.append("| ").append(dkn[0]).append(" | ").append(dkn[1]).append(" | ").append(dkn[2]).append(" | ")
                    .append(input(e.getKey()));
            for (JmhResult r : new JmhResult[] {sc, si, vl}) {
                b.append(" | ").append(r == null ? "" : time(r.score, r.unit)
                        + (Double.isNaN(r.error) ? "" : " ± " + time(r.error, r.unit)));
            }
            b.append(" | ").append(sc == null || si == null ? "" : ratio(sc.score / si.score));
            b.append(" | ").append(vl == null || si == null ? "" : ratio(vl.score / si.score)).append(" |\n");
        }
        b.append('\n');
    }


    private static void encodeTable(StringBuilder b, List<JmhResult> rows) {
        Map<String, Map<String, JmhResult>> groups = new LinkedHashMap<>();
        for (JmhResult r : rows) {
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
        b.append("`simd N-bit` is the SIMD kernel at a forced width (`-Dfvec.simd.bits=N`), `simd` at the preferred one."
                + " For `t0` variants (fvec's exact mode), \"vs VLFeat\" compares with VLFeat's `t1e-6` time of the same"
                + " shape and normalisation: VLFeat has no exact mode.\n\n");
        b.append("| D | K | N | input | variant | implementation | time per encode | ± error | alloc B/op | vs scalar | vs VLFeat |\n");
        b.append("|---:|---:|---:|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, JmhResult>> ge : groups.entrySet()) {
            Map<String, JmhResult> g = ge.getValue();
            JmhResult scalar = g.get("scalar");
            JmhResult vl = g.get(VLFEAT);
            if (vl == null && ge.getKey().endsWith("-t0")) {
                // fvec's exact mode against VLFeat's thresholded one (VLFeat has no exact mode).
                Map<String, JmhResult> thresholded = groups.get(ge.getKey().replaceFirst("-t0$", "-t1e-6"));
                vl = thresholded == null ? null : thresholded.get(VLFEAT);
            }
            List<String> impls = new ArrayList<>(g.keySet());
            impls.sort(Comparator.comparing((String i) -> i.equals("scalar") ? 0 : i.equals(VLFEAT) ? 2 : 1)
                    .thenComparing(Comparator.naturalOrder()));
            for (String impl : impls) {
                JmhResult r = g.get(impl);
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

    private static void batchTable(StringBuilder b, List<JmhResult> rows) {
        List<JmhResult> batch = section(b, rows, "BatchBench", "Batch throughput, one shared encoder",
                "Images (sets of N descriptors) encoded per second, summed over the threads, each thread cycling"
                        + " through " + SharedEncoder.IMAGES + " distinct images.",
                "| shape DxKxN | variant | kernel | threads | encodes/s | ± error | vs 1 thread |\n"
                        + "|---|---|---|---:|---:|---:|---:|");
        for (JmhResult r : batch) {
            JmhResult one = find(batch, r.p("kernel"), 1, r);
            b.append("| ").append(r.p("shape")).append(" | ").append(r.p("variant")).append(" | ").append(r.p("kernel"))
                    .append(" | ").append(r.threads).append(" | ").append(num(r.score)).append(" | ").append(num(r.error))
                    .append(" | ").append(one == null ? "" : ratio(r.score / one.score)).append(" |\n");
        }
        end(b, batch);
    }

    private static void tailTable(StringBuilder b, List<JmhResult> rows) {
        List<JmhResult> tail = section(b, rows, "TailLatencyBench", "Tail latency, 1 and 2 concurrent callers",
                "Per-call encode latency from JMH sample mode (every call timed), callers sharing one encoder;"
                        + " with 2 callers the samples of both are pooled.",
                "| shape DxKxN | variant | kernel | callers | samples | p50 | p90 | p99 | p99.9 | max |\n"
                        + "|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for (JmhResult r : tail) {
            b.append("| ").append(r.p("shape")).append(" | ").append(r.p("variant")).append(" | ").append(r.p("kernel"))
                    .append(" | ").append(r.threads).append(" | ").append(r.samples);
            for (String q : new String[] {"50.0", "90.0", "99.0", "99.9", "100.0"}) {
                b.append(" | ").append(time(r.percentiles.getOrDefault(q, Double.NaN), r.unit));
            }
            b.append(" |\n");
        }
        end(b, tail);
    }

    private static void estepTable(StringBuilder b, List<JmhResult> rows) {
        List<JmhResult> es = section(b, rows, "EStepBench", "EM E-step, per descriptor",
                "`StatisticsKernel.accumulate` (posteriors, log-likelihood, S0, S1, S2) over blocks of "
                        + EStepBench.BLOCK + " descriptors with threshold " + EStepBench.THRESHOLD
                        + ", time per descriptor.",
                "| D | K | kernel | time per descriptor | ± error | vs scalar |\n|---:|---:|---|---:|---:|---:|");
        for (JmhResult r : es) {
            JmhResult scalar = null;
            for (JmhResult s : es) {
                if (s.p("dk").equals(r.p("dk")) && s.p("kernel").equals("scalar")) {
                    scalar = s;
                }
            }
            String[] dk = r.p("dk").split("x");
            b.append("| ").append(dk[0]).append(" | ").append(dk.length > 1 ? dk[1] : "").append(" | ").append(r.p("kernel"))
                    .append(" | ").append(time(r.score, r.unit)).append(" | ").append(time(r.error, r.unit)).append(" | ")
                    .append(scalar == null || scalar == r ? "" : ratio(scalar.score / r.score)).append(" |\n");
        }
        end(b, es);
    }

    /** Issue 16's price of a projection in the model: raw 128-D input through it vs already-projected 64-D input. */
    private static void pcaTable(StringBuilder b, List<JmhResult> rows) {
        List<JmhResult> ps = section(b, rows, "PcaEncodeBench", "PCA projection in the encode",
                "One encode of N = 1000 descriptors, K = 256, D = 64: raw 128-D descriptors through the model's"
                        + " 128 -> 64 projection (`raw128`) against the same descriptors already projected (`projected64`),"
                        + " in one run; issue 16's target is a ratio of at most 1.4.",
                "| variant | kernel | projected64 | raw128 | raw128 / projected64 |\n|---|---|---:|---:|---:|");
        for (JmhResult r : ps) {
            if (!r.p("input").equals("raw128")) {
                continue;
            }
            JmhResult base = null;
            for (JmhResult s : ps) {
                if (s.p("input").equals("projected64") && s.p("variant").equals(r.p("variant"))
                        && s.p("kernel").equals(r.p("kernel"))) {
                    base = s;
                }
            }
            b.append("| ").append(r.p("variant")).append(" | ").append(r.p("kernel")).append(" | ")
                    .append(base == null ? "" : time(base.score, base.unit)).append(" | ").append(time(r.score, r.unit))
                    .append(" | ").append(base == null ? "" : ratio(r.score / base.score)).append(" |\n");
        }
        end(b, ps);
    }

    /**
     * The results of {@code bench}; when there are any, first writes the section's heading, its
     * introduction and the table's header lines.
     */
    private static List<JmhResult> section(StringBuilder b, List<JmhResult> rows, String bench, String title,
            String intro, String header) {
        List<JmhResult> selected = JmhResult.select(rows, bench);
        if (!selected.isEmpty()) {
            b.append("## ").append(title).append("\n\n").append(intro).append("\n\n").append(header).append('\n');
        }
        return selected;
    }

    /** Closes a section's table (the blank line after it) when the section was written. */
    private static void end(StringBuilder b, List<JmhResult> selected) {
        if (!selected.isEmpty()) {
            b.append('\n');
        }
    }

    private static JmhResult find(List<JmhResult> rows, String kernel, int threads, JmhResult like) {
        for (JmhResult r : rows) {
            if (r.p("kernel").equals(kernel) && r.threads == threads && r.p("shape").equals(like.p("shape"))
                    && r.p("variant").equals(like.p("variant"))) {
                return r;
            }
        }
        return null;
    }
}
