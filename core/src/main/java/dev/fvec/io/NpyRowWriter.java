package dev.fvec.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Streams the rows of a 2-D {@code <f4} C-order {@code .npy} (format 1.0) into a file channel,
 * one row at a time, when the number of rows is known only at the end: memory for one buffer,
 * not for the whole array.
 *
 * <p>The header is {@link Npy}'s, laid out as {@code numpy.save} lays it out, with the room NumPy
 * leaves for the first dimension to grow to 21 digits; so {@link #finish()} can rewrite it in
 * place with the final row count, and the file is byte-identical to {@code numpy.save} of the
 * same array. Use it inside {@link AtomicFile#write} to make the file appear all at once:
 * <pre>{@code
 * AtomicFile.write(out, ch -> {
 *     NpyRowWriter w = new NpyRowWriter(ch, cols);
 *     for (float[] row : rows) w.writeRow(row);
 *     w.finish();
 * });
 * }</pre>
 *
 * <p>Not thread-safe: one writer per file, used from one thread at a time.
 */
public final class NpyRowWriter {

    private static final int BUFFER_BYTES = 1 << 16;

    private final FileChannel channel;
    private final long start;
    private final int cols;
    private final int headerLength;
    private final ByteBuffer buffer;
    private long rows;
    private boolean finished;

    /**
     * Writes a provisional header (0 rows) at the channel's position.
     *
     * @param channel an open, writable (and seekable) channel, positioned where the file starts
     *     (0 for a whole file); not closed by this writer
     * @param cols the row length, {@code >= 0}
     * @throws IOException if the header cannot be written
     */
    public NpyRowWriter(FileChannel channel, int cols) throws IOException {
        if (channel == null || cols < 0) {
            throw new IllegalArgumentException(channel == null ? "channel is null" : "cols = " + cols + " < 0");
        }
        this.channel = channel;
        this.start = channel.position();
        this.cols = cols;
        byte[] header = NpyHeader.bytes(new int[] {0, cols});
        this.headerLength = header.length;
        this.buffer = ByteBuffer.allocate(Math.max(BUFFER_BYTES, 4 * cols)).order(ByteOrder.LITTLE_ENDIAN);
        writeFully(ByteBuffer.wrap(header), start);
        channel.position(start + headerLength);
    }

    /**
     * Appends one row.
     *
     * @param row exactly {@code cols} values, written as they are (NaN and infinities included)
     * @throws IllegalArgumentException if {@code row.length != cols}
     * @throws IllegalStateException after {@link #finish()}, or past {@code Integer.MAX_VALUE} rows
     * @throws IOException if writing fails
     */
    public void writeRow(float[] row) throws IOException {
        if (finished) {
            throw new IllegalStateException("finish() was already called");
        }
        if (row.length != cols) {
            throw new IllegalArgumentException("row " + rows + " has " + row.length + " values, expected " + cols);
        }
        if (rows == Integer.MAX_VALUE) {
            throw new IllegalStateException("more rows than a .npy shape fvec reads can hold (" + Integer.MAX_VALUE + ")");
        }
        if (buffer.remaining() < 4 * cols) {
            flush();
        }
        buffer.asFloatBuffer().put(row);
        buffer.position(buffer.position() + 4 * cols);
        rows++;
    }

    /** The number of rows written so far. */
    public long rows() {
        return rows;
    }

    /**
     * Writes the buffered rows and rewrites the header with the final row count; the header
     * keeps its length, so nothing moves. Leaves the channel positioned after the last row.
     * Calling it again does nothing.
     *
     * @throws IOException if writing fails
     */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        flush();
        long end = channel.position();
        byte[] header = NpyHeader.bytes(new int[] {(int) rows, cols});
        if (header.length != headerLength) { // cannot happen: NumPy pads for a 21-digit row count
            throw new IllegalStateException("header length changed from " + headerLength + " to " + header.length);
        }
        writeFully(ByteBuffer.wrap(header), start);
        channel.position(end);
        finished = true;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    private void writeFully(ByteBuffer b, long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }
}
