package dev.fvec.cli;

import dev.fvec.FisherEncoder;
import dev.fvec.GmmStatistics;
import dev.fvec.io.NpyBuffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code fvec encode --threads T}: files are read and encoded by {@code T} worker threads, at most
 * {@code 2T} files ahead of the one being written, and the rows are handed to the writer in input
 * order. Each file in flight has a slot: an {@link NpyBuffer} the file is decoded into and a row
 * the vector is encoded into, both reused for later files, so memory is bounded by the slots
 * (about {@code 2T x} the largest file plus one vector), not by the number of files.
 *
 * <p>The output does not depend on {@code T}: each vector is computed from its file alone, by a
 * deterministic kernel, and written at its input's position. On an error the first failing file
 * in input order is reported (the files before it were written, the run fails as a whole).
 */
final class EncodePipeline {

    /** Receives the rows in input order. */
    interface Sink {
        /**
         * Row {@code index}, from a file of {@code descriptors} rows of which {@code keptTerms}
         * posterior terms were kept; {@code row} is reused afterwards.
         */
        void accept(int index, float[] row, int descriptors, long keptTerms) throws IOException;
    }

    /** What one file in flight holds. */
    private static final class Slot {
        final NpyBuffer buffer = new NpyBuffer();
        final GmmStatistics statistics;
        final float[] row;

        Slot(FisherEncoder encoder) {
            statistics = encoder.newStatistics();
            row = new float[encoder.length()];
        }
    }

    private final FisherEncoder encoder;
    private final List<Path> inputs;
    private final List<Inputs.Shape> shapes;
    private final int threads;

    EncodePipeline(FisherEncoder encoder, List<Path> inputs, List<Inputs.Shape> shapes, int threads) {
        this.encoder = encoder;
        this.inputs = inputs;
        this.shapes = shapes;
        this.threads = threads;
    }

    /** Encodes every input and hands the rows to {@code sink}, in input order. */
    void run(Sink sink) throws CliException, IOException {
        int window = Math.min(2 * threads, inputs.size());
        List<Slot> slots = new ArrayList<>(window);
        for (int s = 0; s < window; s++) {
            slots.add(new Slot(encoder));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        try {
            List<Future<Slot>> pending = new ArrayList<>(inputs.size());
            for (int i = 0; i < window; i++) {
                pending.add(pool.submit(task(i, slots.get(i))));
            }
            for (int i = 0; i < inputs.size(); i++) {
                Slot done = await(pending.get(i));
                pending.set(i, null); // the slot is reused below; drop the reference to finished work
                sink.accept(i, done.row, done.buffer.rows(), done.statistics.keptTerms());
                if (i + window < inputs.size()) {
                    // File i's row is written, so its slot takes the file `window` places on.
                    pending.add(pool.submit(task(i + window, done)));
                }
            }
        } finally {
            pool.shutdownNow(); // on an error, abandon files still in flight
        }
    }

    /** Reads file {@code i} into {@code slot} and encodes it into the slot's row. */
    private java.util.concurrent.Callable<Slot> task(int i, Slot slot) {
        return () -> {
            Path input = inputs.get(i);
            Inputs.read(input, shapes.get(i), slot.buffer);
            // What encode(x, n, out) does, with statistics of our own so the kept terms can be counted.
            slot.statistics.reset();
            try {
                encoder.accumulate(slot.buffer.data(), 0, slot.buffer.rows(), slot.statistics);
                encoder.encode(slot.statistics, slot.row, 0);
            } catch (IllegalArgumentException | ArithmeticException e) { // bad values, float overflow
                throw new CliException(input + ": " + e.getMessage(), e);
            }
            return slot;
        };
    }

    /** The finished slot, or the task's own exception (a CliException, IOException or unchecked one). */
    private static Slot await(Future<Slot> future) throws CliException, IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof CliException) {
                throw (CliException) cause;
            } else if (cause instanceof IOException) {
                throw (IOException) cause;
            } else if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            } else if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Workers are daemons, so a failed run exits without waiting for them. */
    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "fvec-encode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
