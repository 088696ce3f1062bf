package dev.fvec.train;

import dev.fvec.DiagonalGmm;
import dev.fvec.GmmStatistics;
import dev.fvec.Sparsity;
import dev.fvec.spi.KernelProvider;
import dev.fvec.spi.StatisticsKernel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The passes over the data of one {@code fit}, run by {@code threads} threads: the calling thread
 * plus a fixed pool of {@code threads - 1} daemon threads, created here and shut down by
 * {@link #close()}.
 *
 * <p><b>Exact, order-fixed merging.</b> The descriptors are cut into chunks of
 * {@link #CHUNK_ROWS} rows, a constant. Each chunk is accumulated into zeroed statistics by one
 * kernel, then merged into the total strictly in chunk order (0, 1, 2, ...), whichever thread
 * finished it. So the total is the same sum, in the same order, for every thread count and every
 * schedule: with a deterministic kernel the statistics are bit-identical whether one thread or
 * eight computed them. Threads take chunks dynamically; a finished chunk waits in one of
 * {@code 2 * threads} buffers until every earlier chunk is merged, so memory is
 * {@code O(K * D * threads)} and a slow thread stalls the others only after they are
 * {@code threads} chunks ahead.
 */
final class ParallelPasses implements AutoCloseable {

    /** Rows per chunk: fixed, so the summation order does not depend on the thread count. */
    static final int CHUNK_ROWS = 1024;

    /**
     * Chunks of {@link #CHUNK_ROWS} rows covering {@code rows} rows, the last one possibly short.
     * In {@code long}: {@code rows + CHUNK_ROWS - 1} overflows an {@code int} once {@code rows}
     * exceeds {@code 2^31 - CHUNK_ROWS}, which silently gave zero chunks (empty statistics).
     */
    static int chunkCount(int rows) {
        return (int) (((long) rows + CHUNK_ROWS - 1) / CHUNK_ROWS);
    }

    /** First row of chunk {@code chunk} (always below the row count, so an {@code int}). */
    static int chunkStart(int chunk) {
        return Math.toIntExact((long) chunk * CHUNK_ROWS);
    }

    /** One past the last row of chunk {@code chunk} of {@code rows} rows; {@code long} inside. */
    static int chunkEnd(int chunk, int rows) {
        return (int) Math.min(rows, ((long) chunk + 1) * CHUNK_ROWS);
    }

    private final float[] x;
    private final int n;
    private final int d;
    private final int threads;
    private final ExecutorService pool; // null when threads == 1
    private GmmStatistics total;
    private GmmStatistics[] buffers;

    ParallelPasses(float[] x, int n, int d, int threads) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.threads = threads;
        if (threads > 1) {
            AtomicInteger id = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "fvec-train-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            this.pool = null;
        }
    }

    int threads() {
        return threads;
    }

    /**
     * The statistics of all descriptors under {@code model}: one kernel per thread, chunks merged
     * in chunk order. The returned object is reused by the next call.
     */
    GmmStatistics statistics(KernelProvider provider, DiagonalGmm model, Sparsity sparsity) {
        int k = model.components();
        if (total == null || total.components() != k || total.dimension() != d) {
            total = new GmmStatistics(k, d);
            buffers = new GmmStatistics[2 * threads];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new GmmStatistics(k, d);
            }
        }
        total.reset();
        int chunks = chunkCount(n);
        int workers = Math.min(threads, chunks);
        if (workers <= 1) {
            // Same chunks, same order as the parallel path: bit-identical totals.
            StatisticsKernel kernel = provider.create(model, sparsity);
            GmmStatistics buffer = buffers[0];
            for (int c = 0; c < chunks; c++) {
                buffer.reset();
                accumulateChunk(kernel, c, buffer);
                total.merge(buffer);
            }
            return total;
        }
        OrderedMerge merge = new OrderedMerge(chunks);
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            StatisticsKernel kernel = provider.create(model, sparsity);
            futures.add(pool.submit(() -> merge.work(kernel)));
        }
        merge.work(provider.create(model, sparsity));
        awaitAll(futures);
        merge.rethrowFailure();
        return total;
    }

    private void accumulateChunk(StatisticsKernel kernel, int chunk, GmmStatistics into) {
        int from = chunkStart(chunk);
        int rows = chunkEnd(chunk, n) - from;
        // from * d < n * d <= x.length, so the offset fits an int.
        kernel.accumulate(x, Math.toIntExact((long) from * d), rows, into);
    }

    /** Work shared by the threads of one statistics pass. */
    private final class OrderedMerge {
        private final int chunks;
        private final GmmStatistics[] pending;
        private final ArrayDeque<GmmStatistics> free = new ArrayDeque<>();
        private int next; // next chunk to hand out
        private int merged; // chunks [0, merged) are in total
        private Throwable failure;

        OrderedMerge(int chunks) {
            this.chunks = chunks;
            this.pending = new GmmStatistics[chunks];
            for (GmmStatistics b : buffers) {
                free.push(b);
            }
        }

        void work(StatisticsKernel kernel) {
            while (true) {
                int chunk;
                GmmStatistics buffer;
                synchronized (this) {
                    // A free buffer always exists for the thread holding the lowest unmerged
                    // chunk (buffers >= threads), so this wait cannot deadlock.
                    while (failure == null && next < chunks && free.isEmpty()) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            fail(e);
                        }
                    }
                    if (failure != null || next >= chunks) {
                        return;
                    }
                    chunk = next++;
                    buffer = free.pop();
                }
                try {
                    buffer.reset();
                    accumulateChunk(kernel, chunk, buffer);
                } catch (RuntimeException | Error e) {
                    synchronized (this) {
                        fail(e);
                    }
                    return;
                }
                synchronized (this) {
                    pending[chunk] = buffer;
                    while (merged < chunks && pending[merged] != null) {
                        total.merge(pending[merged]);
                        free.push(pending[merged]);
                        pending[merged] = null;
                        merged++;
                    }
                    notifyAll();
                }
            }
        }

        private void fail(Throwable t) { // caller holds the lock
            if (failure == null) {
                failure = t;
            }
            notifyAll();
        }

        synchronized void rethrowFailure() {
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            if (failure instanceof Error) {
                throw (Error) failure;
            }
            if (failure != null) {
                throw new IllegalStateException("E-step interrupted", failure);
            }
            if (merged != chunks) {
                throw new IllegalStateException("E-step merged " + merged + " of " + chunks + " chunks");
            }
        }
    }

    /** Work on block {@code block}, rows {@code [from, to)} of some index range. */
    interface BlockTask {
        void run(int block, int from, int to);
    }

    /**
     * Runs {@code task} over {@code [0, count)} cut into blocks of {@link #CHUNK_ROWS}, handed out
     * to the threads dynamically. Blocks are fixed by {@code count} alone, so a task that writes
     * per-block results (partial sums) lets the caller reduce them in block order, independently
     * of the thread count.
     */
    void forEachBlock(int count, BlockTask task) {
        int blocks = chunkCount(count);
        int workers = Math.min(threads, blocks);
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int b; (b = next.getAndIncrement()) < blocks; ) {
                task.run(b, chunkStart(b), chunkEnd(b, count));
            }
        };
        if (workers <= 1) {
            work.run();
            return;
        }
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            futures.add(pool.submit(work));
        }
        RuntimeException own = null;
        try {
            work.run();
        } catch (RuntimeException e) {
            own = e;
            next.set(blocks); // let the others stop early
        }
        awaitAll(futures);
        if (own != null) {
            throw own;
        }
    }

    private static void awaitAll(List<Future<?>> futures) {
        RuntimeException first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                if (first == null) {
                    first = cause instanceof RuntimeException ? (RuntimeException) cause
                            : new IllegalStateException(cause);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first == null) {
                    first = new IllegalStateException("interrupted while training", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
