package dev.fvec.bench;

import static dev.fvec.bench.Formats.dkn;
import static dev.fvec.bench.Formats.time;
import static dev.fvec.bench.Formats.toMs;
import static dev.fvec.bench.JmhResult.VLFEAT;
import static dev.fvec.bench.Report.HEADLINE_SHAPE;
import static dev.fvec.bench.Report.HEADLINE_VARIANT;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * {@code chart.png} for {@link Report}, drawn with JFreeChart: left, the encode time of each
 * implementation relative to VLFeat's (scalar's when VLFeat was not measured) for the headline
 * variant, one group per shape, each bar labelled with its absolute time; right, tail-latency
 * percentiles for 1 and 2 callers.
 */
final class ReportChart {

    static final int WIDTH = 1200;
    static final int HEIGHT = 560;

    private static final String[] IMPLS = {"scalar", "simd", VLFEAT};
    private static final Color[] IMPL_COLORS = {new Color(0x8c8c8c), new Color(0x1f77b4), new Color(0xd62728)};
    private static final String[] PERCENTILES = {"50.0", "99.0", "99.9"};
    private static final String[] PERCENTILE_KEYS = {key(PERCENTILES[0]), key(PERCENTILES[1]), key(PERCENTILES[2])};
    private static final Color[] PERCENTILE_COLORS = {new Color(0x9ecae1), new Color(0x3182bd), new Color(0x08306b)};
    private static final Color GRID = new Color(0xe6e6e6);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font PANEL_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private ReportChart() {
    }

    static BufferedImage chart(List<JmhResult> rows, Properties meta) {
        String jdk = rows.isEmpty() ? "?" : rows.get(0).jdkVersion;
        String jmh = rows.isEmpty() ? "1.37" : rows.get(0).jmh;
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString("fvec encode benchmarks — " + meta.getProperty("cpu", "this machine") + ", JDK " + jdk, 20, 28);
        g.setFont(TEXT);
        g.drawString("JMH " + jmh + ", one fork, short runs on a shared 2-core machine;"
                + " see results.md for errors and the exact command", 20, 46);
        encodeChart(rows).draw(g, new Rectangle2D.Double(10, 60, 730, HEIGHT - 65));
        tailChart(rows).draw(g, new Rectangle2D.Double(750, 60, 440, HEIGHT - 65));
        g.dispose();
        return img;
    }

    /** Horizontal bars: time / the base implementation's time, per shape; a dashed line at 1. */
    private static JFreeChart encodeChart(List<JmhResult> rows) {
        Map<String, Map<String, JmhResult>> byShape = JmhResult.headline(rows);
        String base = base(byShape);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double max = 1.2;
        for (Map.Entry<String, Map<String, JmhResult>> e : byShape.entrySet()) {
            JmhResult b = e.getValue().get(base);
            for (String impl : IMPLS) {
                JmhResult r = e.getValue().get(impl);
                if (r != null && b != null) {
                    data.addValue(r.score / b.score, impl, shapeLabel(e.getKey()));
                    max = Math.max(max, r.score / b.score);
                }
            }
        }
        CategoryAxis shapes = new CategoryAxis();
        shapes.setTickLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        shapes.setMaximumCategoryLabelLines(3);
        shapes.setMaximumCategoryLabelWidthRatio(0.18f);
        shapes.setCategoryMargin(0.25);
        NumberAxis relative = new NumberAxis();
        relative.setTickLabelFont(SMALL);
        // Room to the right of the longest bar for its label.
        relative.setRange(0, Math.ceil(max * 4) / 4 * 1.5);
        relative.setTickUnit(new NumberTickUnit(max > 3 ? 1 : 0.25));
        BarRenderer bars = renderer(data, IMPLS, IMPL_COLORS);
        bars.setMaximumBarWidth(0.1);
        bars.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator() {
            private static final long serialVersionUID = 1L;

            @Override
            public String generateLabel(CategoryDataset dataset, int row, int column) {
                String impl = (String) dataset.getRowKey(row);
                JmhResult r = byShape.get(shapeKey(byShape, (String) dataset.getColumnKey(column))).get(impl);
                double rel = dataset.getValue(row, column).doubleValue();
                return impl + "  " + time(r.score, r.unit)
                        + (impl.equals(base) ? "" : String.format(Locale.ROOT, "  (time %.2f×)", rel));
            }
        });
        bars.setDefaultItemLabelsVisible(true);
        bars.setDefaultItemLabelFont(SMALL);
        bars.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
        CategoryPlot plot = plot(data, shapes, relative, bars, PlotOrientation.HORIZONTAL);
        ValueMarker one = new ValueMarker(1.0, Color.BLACK,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
        plot.addRangeMarker(one, Layer.BACKGROUND);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        return chart("Encode time relative to " + base + " (" + HEADLINE_VARIANT + ", 1 thread; lower is faster)",
                plot, byShape.isEmpty() ? "(no encode results)" : null);
    }

    /** VLFeat when it was measured, else scalar, else (a smoke run of simd alone) simd. */
    private static String base(Map<String, Map<String, JmhResult>> byShape) {
        for (String impl : new String[] {VLFEAT, "scalar"}) {
            if (byShape.values().stream().anyMatch(m -> m.containsKey(impl))) {
                return impl;
            }
        }
        return "simd";
    }

    /** Vertical bars: p50, p99 and p99.9 in ms, per kernel and number of callers. */
    private static JFreeChart tailChart(List<JmhResult> rows) {
        List<JmhResult> tail = JmhResult.select(rows, "TailLatencyBench");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (JmhResult r : tail) {
            String column = r.p("kernel") + ", " + r.threads + (r.threads == 1 ? " caller" : " callers");
            for (String q : PERCENTILES) {
                data.addValue(toMs(r.percentiles.getOrDefault(q, 0.0), r.unit), key(q), column);
            }
        }
        CategoryAxis callers = new CategoryAxis();
        callers.setTickLabelFont(SMALL);
        callers.setMaximumCategoryLabelLines(2);
        NumberAxis ms = new NumberAxis("ms");
        ms.setTickLabelFont(SMALL);
        ms.setLabelFont(SMALL);
        CategoryPlot plot = plot(data, callers, ms, renderer(data, PERCENTILE_KEYS, PERCENTILE_COLORS), PlotOrientation.VERTICAL);
        JFreeChart chart = chart("Tail latency per encode (" + (tail.isEmpty() ? HEADLINE_SHAPE : tail.get(0).p("shape"))
                + ")", plot, tail.isEmpty() ? "(no tail-latency results)" : null);
        LegendTitle legend = new LegendTitle(plot);
        legend.setItemFont(SMALL);
        legend.setPosition(RectangleEdge.TOP);
        legend.setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.addSubtitle(legend);
        return chart;
    }

    /** "p50" for "50.0". */
    private static String key(String percentile) {
        return "p" + percentile.replace(".0", "");
    }

    /** Bars in a fixed colour per series key, whichever series the data happens to have. */
    private static BarRenderer renderer(DefaultCategoryDataset data, String[] keys, Color[] colors) {
        BarRenderer r = new BarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setItemMargin(0.05);
        for (int i = 0; i < keys.length; i++) {
            int series = data.getRowIndex(keys[i]);
            if (series >= 0) {
                r.setSeriesPaint(series, colors[i]);
            }
        }
        return r;
    }

    private static CategoryPlot plot(DefaultCategoryDataset data, CategoryAxis categories, NumberAxis values,
            BarRenderer renderer, PlotOrientation orientation) {
        CategoryPlot plot = new CategoryPlot(data, categories, values, renderer);
        plot.setOrientation(orientation);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1));
        plot.setDomainGridlinesVisible(false);
        return plot;
    }

    private static JFreeChart chart(String title, CategoryPlot plot, String noData) {
        if (noData != null) {
            plot.setNoDataMessage(noData);
            plot.setNoDataMessageFont(TEXT);
        }
        JFreeChart chart = new JFreeChart(title, PANEL_TITLE, plot, false);
        chart.getTitle().setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(0, 0, 0, 12)); // room for the last tick label
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        return chart;
    }

    /** "D=64 K=256 N=1000", plus "golden a" for a golden case (wrapped over lines by the axis). */
    private static String shapeLabel(String shape) {
        String[] dkn = dkn(shape);
        return "D=" + dkn[0] + " K=" + dkn[1] + " N=" + dkn[2]
                + (shape.startsWith("golden:") ? " golden " + shape.substring(7, 8) : "");
    }

    private static String shapeKey(Map<String, Map<String, JmhResult>> byShape, String label) {
        for (String shape : byShape.keySet()) {
            if (shapeLabel(shape).equals(label)) {
                return shape;
            }
        }
        throw new IllegalStateException("no shape for the label " + label);
    }
}
