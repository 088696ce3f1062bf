package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainLinesAreThrottledButTheLastIsAlwaysPrinted() {
        Progress p = new Progress(err, false, "encode", 1000, "files", 60_000);
        for (int i = 1; i <= 1000; i++) {
            p.update(i, "f" + i + ".npy");
        }
        p.close();
        String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        assertTrue(lines[0].startsWith("encode: 1/1000 files, f1.npy, "), lines[0]);
        assertTrue(lines[1].startsWith("encode: 1000/1000 files, f1000.npy, "), lines[1]);
    }

    @Test
    void everyUpdateWithZeroInterval() {
        Progress p = new Progress(err, false, "train", 10, "iterations", 0);
        for (int i = 1; i <= 4; i++) {
            p.update(i, "");
        }
        p.close();
        assertEquals(4, text().split("\n").length, text());
        assertTrue(text().startsWith("train: 1/10 iterations, "), text());
    }

    @Test
    void terminalBarIsRedrawnInPlaceAndEndedWithANewline() {
        Progress p = new Progress(err, true, "encode", 4, "files", 0);
        p.update(1, "a long detail string");
        p.update(4, "b");
        p.close();
        String t = text();
        assertTrue(t.startsWith("\rencode [#######.......................] 1/4 files, a long detail string, "), t);
        assertTrue(t.contains("\rencode [##############################] 4/4 files, b, "), t);
        assertEquals(1, t.chars().filter(c -> c == '\n').count(), t);
        assertTrue(t.endsWith(" \n"), "the shorter second line blanks out the first: " + t);
    }

    @Test
    void quietPrintsNothing() {
        Progress p = new Progress(null, true, "encode", 4, "files", 0);
        p.update(4, "x");
        p.close();
        assertEquals("", text());
    }
}
