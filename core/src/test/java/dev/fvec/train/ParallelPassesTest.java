package dev.fvec.train;

import static dev.fvec.train.ParallelPasses.CHUNK_ROWS;
import static dev.fvec.train.ParallelPasses.chunkCount;
import static dev.fvec.train.ParallelPasses.chunkEnd;
import static dev.fvec.train.ParallelPasses.chunkStart;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 10, item 3: the chunk arithmetic near {@code 2^31} rows, without allocating them. */
class ParallelPassesTest {

    /** The chunks of {@code rows} rows tile {@code [0, rows)} exactly, in order, none empty. */
    private static void assertTiles(int rows) {
        int chunks = chunkCount(rows);
        assertEquals(((long) rows + CHUNK_ROWS - 1) / CHUNK_ROWS, chunks, "chunks of " + rows + " rows");
        long expectedStart = 0;
        for (int c = 0; c < chunks; c++) {
            int from = chunkStart(c);
            int to = chunkEnd(c, rows);
            assertEquals(expectedStart, from, "start of chunk " + c + " of " + rows + " rows");
            assertEquals(c < chunks - 1 ? CHUNK_ROWS : rows - (long) (chunks - 1) * CHUNK_ROWS, to - from,
                    "rows of chunk " + c + " of " + rows);
            expectedStart = to;
        }
        assertEquals(rows, expectedStart, "chunks of " + rows + " rows end at the last row");
    }

    @Test
    void chunksTileEveryRowCountUpToTheLargestArray() {
        int max = Integer.MAX_VALUE;
        for (int rows : new int[] {0, 1, CHUNK_ROWS - 1, CHUNK_ROWS, CHUNK_ROWS + 1, 5 * CHUNK_ROWS + 3,
                max - CHUNK_ROWS, max - CHUNK_ROWS + 1, max - CHUNK_ROWS + 2, max - 1, max}) {
            assertTiles(rows);
        }
    }

    @Test
    void rowCountsAboveTwoToTheThirtyOneMinusAChunkStillHaveChunks() {
        // Before the fix, (rows + 1023) / 1024 overflowed to a negative count: no chunk, empty statistics.
        assertEquals(2_097_152, chunkCount(Integer.MAX_VALUE));
        assertEquals(2_097_152, chunkCount(Integer.MAX_VALUE - CHUNK_ROWS + 2));
        assertEquals(2_097_151, chunkCount(Integer.MAX_VALUE - CHUNK_ROWS));
        // The last chunk ends at the last row; (c + 1) * 1024 in int would be negative there.
        assertEquals(Integer.MAX_VALUE, chunkEnd(2_097_151, Integer.MAX_VALUE));
        assertEquals(Integer.MAX_VALUE - 1023, chunkStart(2_097_151));
    }

    @Test
    void forEachBlockVisitsEveryRowOnceWithAnyThreadCount() {
        for (int threads = 1; threads <= 3; threads++) {
            int count = 3 * CHUNK_ROWS + 17;
            int[] seen = new int[count];
            List<int[]> blocks = new ArrayList<>();
            try (ParallelPasses passes = new ParallelPasses(new float[0], 0, 1, threads)) {
                passes.forEachBlock(count, (block, from, to) -> {
                    synchronized (blocks) {
                        blocks.add(new int[] {block, from, to});
                    }
                    for (int i = from; i < to; i++) {
                        seen[i]++;
                    }
                });
            }
            assertEquals(4, blocks.size());
            for (int[] b : blocks) {
                assertEquals(chunkStart(b[0]), b[1]);
                assertEquals(chunkEnd(b[0], count), b[2]);
            }
            for (int i = 0; i < count; i++) {
                assertEquals(1, seen[i], "row " + i + " with " + threads + " threads");
            }
        }
    }
}
