package dev.fvec.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fvec.GmmStatistics;
import dev.fvec.internal.StatisticsBridge;
import org.junit.jupiter.api.Test;

class StatisticsAccessTest {

    @Test
    void liveArraysChangeTheStatisticsAndPublicGettersAreCopies() {
        GmmStatistics s = new GmmStatistics(2, 3);
        assertSame(StatisticsAccess.s0(s), StatisticsAccess.s0(s));
        StatisticsAccess.s0(s)[1] = 4;
        StatisticsAccess.s1(s)[5] = 5;
        StatisticsAccess.s2(s)[2] = 6;
        assertArrayEquals(new double[] {0, 4}, s.s0());
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 5}, s.s1());
        assertArrayEquals(new double[] {0, 0, 6, 0, 0, 0}, s.s2());

        double[] copy = s.s0();
        assertNotSame(copy, StatisticsAccess.s0(s));
        copy[1] = -1;
        s.s1()[5] = -1;
        s.s2()[2] = -1;
        assertEquals(4, s.s0()[1], "writing a copy must not change the statistics");
        assertEquals(5, s.s1()[5]);
        assertEquals(6, s.s2()[2]);
    }

    @Test
    void addCountsAddsAndRejectsNegativeCounts() {
        GmmStatistics s = new GmmStatistics(1, 1);
        StatisticsAccess.addCounts(s, 3, 2, -1.5);
        StatisticsAccess.addCounts(s, 1, 1, -0.5);
        assertEquals(4, s.count());
        assertEquals(3, s.keptTerms());
        assertEquals(-2.0, s.logLikelihood());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatisticsAccess.addCounts(s, -1, 0, 0));
        assertTrue(e.getMessage().contains("descriptors = -1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StatisticsAccess.addCounts(s, 1, -2, 0));
        assertEquals(4, s.count(), "a rejected call changes nothing");
        assertEquals(3, s.keptTerms());
    }

    @Test
    void nobodyElseCanInstallTheBridge() {
        new GmmStatistics(1, 1);
        assertThrows(IllegalStateException.class, () -> StatisticsBridge.install(StatisticsBridge.get()));
    }
}
