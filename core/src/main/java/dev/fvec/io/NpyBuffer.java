package dev.fvec.io;

import java.nio.ByteBuffer;

/**
 * A reusable destination for {@link Npy#readInto(java.nio.file.Path, NpyBuffer)}: a float array
 * that grows only when a file does not fit, and the shape of the array last read into it. A loop
 * that reads many files (an encoder reading ahead, say) allocates only while files keep getting
 * larger, then nothing.
 *
 * <p>Layout: after a read, {@code data()[0 .. size())} holds the array row-major,
 * {@code (r, c)} at {@code r * cols() + c}, as {@link NpyArray}; elements from {@code size()} on
 * are left over from earlier reads. {@link #data()} is the live array and may be a different
 * array after each read (when it had to grow), so fetch it after reading, not before.
 *
 * <p>Not thread-safe: one buffer per reader thread (or per slot of a read-ahead queue), handed
 * from the reading thread to a consumer with the usual happens-before (a queue does that).
 */
public final class NpyBuffer extends NpyShape {

    private float[] data;
    private ByteBuffer scratch;
    private int[] shape = {0};
    private int size;

    /** An empty buffer; the first read allocates what the file needs. */
    public NpyBuffer() {
        this(0);
    }

    /**
     * A buffer with room for {@code initialCapacity} floats.
     *
     * @throws IllegalArgumentException if {@code initialCapacity} is negative or above {@link Npy#MAX_ELEMENTS}
     */
    public NpyBuffer(int initialCapacity) {
        if (initialCapacity < 0 || initialCapacity > Npy.MAX_ELEMENTS) {
            throw new IllegalArgumentException("initialCapacity = " + initialCapacity + " is not in [0, "
                    + Npy.MAX_ELEMENTS + "]");
        }
        this.data = new float[initialCapacity];
    }

    /**
     * The live array: the values last read in {@code [0, size())}, row-major. May be longer than
     * {@code size()}; a different array after a read that had to grow it.
     */
    public float[] data() {
        return data;
    }

    /** Floats the buffer holds without growing, {@code data().length}. */
    public int capacity() {
        return data.length;
    }

    /** Elements last read, the product of {@link #shape()}; 0 before the first read. */
    public int size() {
        return size;
    }

    /** A copy of the values last read, as an {@link NpyArray} of their shape. */
    public NpyArray toArray() {
        return new NpyArray(shape, java.util.Arrays.copyOf(data, size));
    }

    /** The shape last read ({@link #shape()} and the rest are inherited); {@code (0,)} before the first read. */
    @Override
    int[] shapeArray() {
        return shape;
    }

    @Override
    public String toString() {
        return "NpyBuffer" + NpyArray.shapeString(shape) + "[capacity " + data.length + "]";
    }

    // ---------------------------------------------------------------- used by Npy

    /**
     * Makes room for {@code needed} floats, keeping the array when it is large enough. Grows by at
     * least half again, so files of slowly increasing size do not reallocate every time. The
     * old contents are not kept.
     */
    float[] reserve(int needed) {
        if (needed > data.length) {
            long grown = Math.max(needed, data.length + (long) (data.length >> 1));
            data = new float[(int) Math.min(grown, Npy.MAX_ELEMENTS)];
        }
        return data;
    }

    /** The byte buffer data moves through, kept between reads (its byte order is set by the reader). */
    ByteBuffer scratch(long dataBytes) {
        int want = (int) Math.min(Npy.CHUNK_BYTES, Math.max(8, dataBytes));
        if (scratch == null || scratch.capacity() < want) {
            scratch = ByteBuffer.allocate(want);
        }
        return scratch;
    }

    /** Records the shape of a completed read. */
    void filled(NpyHeader h) {
        shape = h.shape;
        size = h.size();
    }

    /** Before a read: empty, so a failed read does not leave a stale shape. */
    void clear() {
        shape = new int[] {0};
        size = 0;
    }
}
