package dev.fvec.cli;

import java.io.PrintStream;

/**
 * Progress on stderr. On a terminal, one bar redrawn in place (at most ten times a second); otherwise
 * plain lines, at most one per {@code plainIntervalMillis} (0: one per update), plus the last one, so
 * logs stay readable. With {@code --quiet}, nothing.
 */
final class Progress {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream err; // null: quiet
    private final boolean terminal;
    private final String label;
    private final long total;
    private final String unit;
    private final long plainIntervalNanos;
    private final long start = System.nanoTime();
    private long lastPrinted = Long.MIN_VALUE;
    private int lastWidth;
    private boolean barShown;

    Progress(PrintStream err, boolean terminal, String label, long total, String unit, long plainIntervalMillis) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.plainIntervalNanos = plainIntervalMillis * 1_000_000L;
    }

    /** Reports {@code done} of {@code total} units, with an optional {@code detail} (may be empty). */
    void update(long done, String detail) {
        if (err == null) {
            return;
        }
        long now = System.nanoTime();
        boolean last = done >= total;
        if (terminal) {
            if (last || lastPrinted == Long.MIN_VALUE || now - lastPrinted >= REDRAW_NANOS) {
                drawBar(done, detail, now);
                lastPrinted = now;
            }
        } else if (last || lastPrinted == Long.MIN_VALUE || now - lastPrinted >= plainIntervalNanos) {
            err.println(label + ": " + done + "/" + total + " " + unit + suffix(detail) + ", "
                    + Format.seconds(now - start));
            lastPrinted = now;
        }
    }

    /** Ends the bar's line (on a terminal); call once, whether or not the work completed. */
    void close() {
        if (err != null && terminal && barShown) {
            err.println();
            barShown = false;
        }
    }

    private void drawBar(long done, String detail, long now) {
        int filled = total <= 0 ? BAR_WIDTH : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
        StringBuilder line = new StringBuilder("\r").append(label).append(" [");
        for (int i = 0; i < BAR_WIDTH; i++) {
            line.append(i < filled ? '#' : '.');
        }
        line.append("] ").append(done).append('/').append(total).append(' ').append(unit)
                .append(suffix(detail)).append(", ").append(Format.seconds(now - start));
        int width = line.length();
        // Blank out what a longer previous line left behind.
        for (int i = width; i < lastWidth; i++) {
            line.append(' ');
        }
        lastWidth = width;
        err.print(line);
        err.flush();
        barShown = true;
    }

    private static String suffix(String detail) {
        return detail == null || detail.isEmpty() ? "" : ", " + detail;
    }
}
