package dev.fvec.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.channels.ReadableByteChannel;

/** Moves data from a channel into float arrays in chunks, counting bytes for messages. */
final class NpyDataReader {
    private final ReadableByteChannel ch;
    private final NpyHeader header;
    private final String source;
    private final ByteBuffer buffer;
    private long bytesRead;
    private long elementsRead;

    NpyDataReader(ReadableByteChannel ch, NpyHeader header, String source) {
        this(ch, header, source, ByteBuffer.allocate((int) Math.min(Npy.CHUNK_BYTES, Math.max(8, header.dataBytes()))));
    }

    /** With a caller's byte buffer (at least 8 bytes; its order is set here), reused across reads. */
    NpyDataReader(ReadableByteChannel ch, NpyHeader header, String source, ByteBuffer scratch) {
        this.ch = ch;
        this.header = header;
        this.source = source;
        this.buffer = scratch.clear().order(header.byteOrder());
    }

    /** Reads the next {@code n} elements into {@code dst[off .. off + n)}. */
    void read(float[] dst, int off, int n) throws IOException {
        int item = header.itemSize();
        int perChunk = buffer.capacity() / item;
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            buffer.clear().limit(count * item);
            int got = readFully(ch, buffer);
            bytesRead += got;
            if (got < count * item) {
                throw truncated(source, header, bytesRead);
            }
            buffer.flip();
            if (item == 4) {
                buffer.asFloatBuffer().get(dst, off + done, count);
            } else {
                narrow(buffer.asDoubleBuffer(), dst, off + done, count);
            }
            done += count;
            elementsRead += count;
        }
    }

    private void narrow(DoubleBuffer src, float[] dst, int off, int count) throws NpyFormatException {
        for (int i = 0; i < count; i++) {
            double v = src.get(i);
            float f = (float) v;
            if (Float.isInfinite(f) && !Double.isInfinite(v)) {
                long index = elementsRead + i;
                String at = header.ndim() == 2
                        ? "[" + index / header.cols() + ", " + index % header.cols()
                                + "] (flat index " + index + ")"
                        : "[" + index + "]";
                throw new NpyFormatException(source, "value " + v + " at index " + at
                        + " is outside the float32 range (max " + Float.MAX_VALUE + ")");
            }
            dst[off + i] = f;
        }
    }

    static NpyFormatException truncated(String source, NpyHeader h, long follows) {
        return new NpyFormatException(source, "truncated: header declares " + h.describe() + " but only "
                + follows + " bytes follow");
    }

    /** Reads until {@code buf} is full or the channel ends; returns the bytes read. */
    static int readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
