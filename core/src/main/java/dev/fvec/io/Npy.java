package dev.fvec.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes NumPy {@code .npy} files holding 1-D or 2-D float arrays.
 *
 * <p>What is read: format versions 1.0, 2.0 and 3.0; dtype {@code '<f4'} or {@code '<f8'}
 * (float64 is narrowed to float32; a finite value outside the float32 range is an error naming
 * its index, while NaN and infinities pass through unchanged); the big-endian {@code '>f4'} and
 * {@code '>f8'} as well, since supporting them is only a byte order; C order only. Everything
 * else (other dtypes, Fortran order, 0-D or 3-D and higher arrays) is rejected with an
 * {@link NpyFormatException} saying what was found.
 *
 * <p>What is written: version 1.0, {@code '<f4'}, C order, the header laid out exactly as
 * {@code numpy.save} lays it out (NumPy 2.x), so the output is byte-identical to NumPy's.
 *
 * <p>Hostile input. A header is a small Python dict literal; it is parsed strictly (exactly the
 * keys {@code 'descr'}, {@code 'fortran_order'}, {@code 'shape'}, no duplicates, integer
 * dimensions) and its length is capped at {@value #MAX_HEADER_LENGTH} bytes before anything is
 * allocated for it. The declared data size is checked against the file size before the data
 * array is allocated: a file shorter than its header declares is <em>truncated</em>, a longer
 * one has <em>trailing bytes</em>, and both are errors (NumPy itself ignores trailing bytes; here
 * they mean a wrong header or a damaged file, so they are reported). The element count is capped
 * at {@link #MAX_ELEMENTS}, the largest Java array. Streams (entries of an {@code .npz}) have no
 * size to check against, so {@link #read(InputStream, String, long)} takes a byte limit and, for
 * large arrays, allocates only as data actually arrives.
 *
 * <p>Data moves in bulk through {@link ByteBuffer} views in chunks of 1 MiB, never byte by
 * byte: a 100 MB file reads in about 0.1 s from the page cache.
 *
 * <p>Related: {@link NpyHeader} (what a header says, and the bytes NumPy writes for one);
 * {@link #readInto(Path, NpyBuffer)} for loops over many files with one reused buffer;
 * {@link DescriptorFiles} for many files read as one data set; {@link NpyRowWriter} for rows
 * streamed into a file; {@link AtomicFile}, through which every write goes. Stateless and
 * thread-safe.
 */
public final class Npy {

    /**
     * Largest header (the dict and its padding) accepted, in bytes. NumPy writes about 120 bytes
     * for a 2-D array and by default refuses to read headers over 10000 bytes.
     */
    public static final int MAX_HEADER_LENGTH = 1 << 16;

    /** Largest element count accepted: the largest array most JVMs can allocate. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    static final int CHUNK_BYTES = 1 << 20;

    /** Above this many data bytes, a stream is read in blocks allocated as data arrives. */
    static final long PREALLOCATE_LIMIT = 64L << 20;

    private static final int BLOCK_ELEMENTS = 16 << 20;

    private Npy() {
    }

    // ---------------------------------------------------------------- reading files

    /**
     * Reads a whole {@code .npy} file.
     *
     * @param file a 1-D or 2-D {@code <f4}/{@code <f8} array in C order (see the class comment)
     * @return the array, row-major, as float32
     * @throws NpyFormatException if the file is malformed, truncated, has trailing bytes or holds
     *     something unsupported; the message names the file and the problem
     * @throws IOException if the file cannot be read
     */
    public static NpyArray read(Path file) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = readHeader(ch, source);
            float[] data = new float[h.size()]; // safe: the file really holds this many bytes
            new NpyDataReader(ch, h, source).read(data, 0, h.size());
            return new NpyArray(h.shape, data);
        }
    }

    /**
     * Reads and validates only the header of a {@code .npy} file, including the check that the
     * file holds exactly the data the header declares. Use it to size a buffer for
     * {@link #readInto}.
     *
     * @throws NpyFormatException as {@link #read(Path)}
     * @throws IOException if the file cannot be read
     */
    public static NpyHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(ch, file.toString());
        }
    }

    /**
     * Reads the whole array of a {@code .npy} file into {@code dst[dstOffset ..
     * dstOffset + size)}, row-major, without allocating another array: a trainer can read many
     * files into one preallocated array.
     *
     * @param dst destination; must have room for {@code header.size()} elements from {@code dstOffset}
     * @return the header, so the caller can check the shape it actually read
     * @throws IllegalArgumentException if {@code dst} is too small (the message names the file)
     * @throws NpyFormatException as {@link #read(Path)}
     * @throws IOException if the file cannot be read
     */
    public static NpyHeader readInto(Path file, float[] dst, int dstOffset) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = readHeader(ch, source);
            if (dst == null || dstOffset < 0 || dstOffset > dst.length || dst.length - dstOffset < h.size()) {
                throw new IllegalArgumentException(source + ": holds " + h.size() + " elements "
                        + NpyArray.shapeString(h.shape) + " but dst "
                        + (dst == null ? "is null" : "of length " + dst.length + " has no room for them from offset "
                                + dstOffset));
            }
            new NpyDataReader(ch, h, source).read(dst, dstOffset, h.size());
            return h;
        }
    }

    /**
     * Reads a whole {@code .npy} file into a reusable buffer, growing it only if the file does
     * not fit: for loops over many files (read-ahead in {@code fvec encode}) that should not
     * allocate an array per file. Reads what {@link #read(Path)} reads (float32, and float64
     * narrowed to float32 with the same range check), with the same checks and messages.
     *
     * <pre>{@code
     * NpyBuffer buf = new NpyBuffer();
     * for (Path f : files) {
     *     Npy.readInto(f, buf);
     *     float[] fv = encoder.encode(buf.data(), buf.rows()); // data() may be longer than size()
     * }
     * }</pre>
     *
     * @param file a 1-D or 2-D {@code .npy} file (see the class comment)
     * @param buffer where to read; after the call {@code buffer.data()[0 .. buffer.size())} holds
     *     the values, row-major, and {@code buffer.shape()} the file's shape. On failure the
     *     buffer is left empty ({@code size() == 0}).
     * @return the header of the file read (its shape is also in {@code buffer})
     * @throws NpyFormatException as {@link #read(Path)}
     * @throws IOException if the file cannot be read
     */
    public static NpyHeader readInto(Path file, NpyBuffer buffer) throws IOException {
        if (buffer == null) {
            throw new IllegalArgumentException(file + ": buffer is null");
        }
        buffer.clear();
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader h = readHeader(ch, source);
            float[] dst = buffer.reserve(h.size()); // safe: the file really holds this many bytes
            new NpyDataReader(ch, h, source, buffer.scratch(h.dataBytes())).read(dst, 0, h.size());
            buffer.filled(h);
            return h;
        }
    }

    /** The header of an open file, checked against the file size (see {@link #readHeader(Path)}). */
    static NpyHeader readHeader(FileChannel ch, String source) throws IOException {
        long fileSize = ch.size();
        NpyHeader h = NpyHeaderParser.parse(ch, source, fileSize, true, null);
        long follows = fileSize - h.dataOffset;
        if (follows < h.dataBytes()) {
            throw NpyDataReader.truncated(source, h, follows);
        }
        if (follows > h.dataBytes()) {
            throw new NpyFormatException(source, (follows - h.dataBytes())
                    + " trailing bytes after the data: header declares "
                    + h.describe() + " but " + follows + " bytes follow the header");
        }
        return h;
    }

    // ---------------------------------------------------------------- reading streams

    /**
     * Reads one {@code .npy} array from a stream (an {@code .npz} entry, say) that must end right
     * after the data. At most {@code maxBytes + 1} bytes are consumed: the header's declared total
     * size is checked against {@code maxBytes} before the data array is allocated, and one byte
     * past the data is read to detect trailing data (an entry that inflates beyond what its
     * header declares). Arrays of up to 64 MiB are allocated up front; larger ones block by
     * block as data arrives, then copied into one array, so a header that lies about a large
     * size costs at most twice the bytes the stream really delivers.
     *
     * @param in the stream, positioned at the magic string; not closed
     * @param name the name used in error messages (file or archive entry)
     * @param maxBytes the most bytes (header and data) the array may take
     * @throws NpyFormatException as {@link #read(Path)}, or if the array is larger than {@code maxBytes}
     * @throws IOException if the stream fails
     */
    public static NpyArray read(InputStream in, String name, long maxBytes) throws IOException {
        return read(in, name, maxBytes, null, false);
    }

    /**
     * As {@link #read(InputStream, String, long)}, with {@code limitReason} explaining
     * {@code maxBytes} in messages; {@code exactSize} says that the stream is known to hold
     * exactly {@code maxBytes} (a zip entry's declared size), so a larger array is truncated.
     */
    static NpyArray read(InputStream in, String name, long maxBytes, String limitReason, boolean exactSize)
            throws IOException {
        ReadableByteChannel ch = Channels.newChannel(in);
        String why = limitReason == null ? "the limit of " + maxBytes + " bytes" : limitReason;
        NpyHeader h = NpyHeaderParser.parse(ch, name, maxBytes, exactSize, why);
        long total = h.dataOffset + h.dataBytes();
        if (total > maxBytes) {
            throw new NpyFormatException(name, exactSize
                    ? "truncated: header declares " + h.describe() + ", " + total + " bytes with the header, but "
                            + why + " is only " + maxBytes
                    : "header declares " + h.describe() + ", " + total + " bytes with the header, more than " + why);
        }
        NpyDataReader reader = new NpyDataReader(ch, h, name);
        float[] data;
        if (h.dataBytes() <= PREALLOCATE_LIMIT) {
            data = new float[h.size()];
            reader.read(data, 0, h.size());
        } else {
            // Each block is allocated only after the previous one was filled by real data.
            List<float[]> blocks = new ArrayList<>();
            for (int done = 0; done < h.size(); ) {
                float[] block = new float[Math.min(BLOCK_ELEMENTS, h.size() - done)];
                reader.read(block, 0, block.length);
                blocks.add(block);
                done += block.length;
            }
            data = new float[h.size()];
            int at = 0;
            for (float[] block : blocks) {
                System.arraycopy(block, 0, data, at, block.length);
                at += block.length;
            }
        }
        if (ch.read(ByteBuffer.allocate(1)) > 0) {
            throw new NpyFormatException(name, "trailing data after the " + h.dataBytes()
                    + " bytes its header declares (" + h.describe() + ")");
        }
        return new NpyArray(h.shape, data);
    }

    /**
     * {@code t} in single quotes, as Python prints it, with control and non-ASCII characters
     * escaped: header text comes from an untrusted file and must not garble a log line.
     */
    static String quote(String t) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            }
        }
        return sb.append('\'').toString();
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a 2-D {@code <f4} array in C order, format 1.0, exactly as {@code numpy.save} would.
     * The file is written to a temporary file in the same directory and then moved over
     * {@code file}, so a failure leaves either the old file or none, never a partial one.
     *
     * @param data {@code rows x cols} values, row-major ({@code data[r * cols + c]}); written as
     *     they are (NaN and infinities included)
     * @param rows {@code >= 0}
     * @param cols {@code >= 0}
     * @throws IllegalArgumentException if {@code data.length != rows * cols} or a size is negative
     * @throws IOException if writing fails
     */
    public static void write(Path file, float[] data, int rows, int cols) throws IOException {
        if (data == null || rows < 0 || cols < 0 || (long) rows * cols != data.length) {
            throw new IllegalArgumentException(file + ": cannot write " + rows + " x " + cols + " from "
                    + (data == null ? "null data" : "data of length " + data.length));
        }
        write(file, new int[] {rows, cols}, data);
    }

    /**
     * Writes a 1-D {@code <f4} array of shape {@code (data.length,)}, atomically, as
     * {@link #write(Path, float[], int, int)}.
     */
    public static void write1d(Path file, float[] data) throws IOException {
        if (data == null) {
            throw new IllegalArgumentException(file + ": cannot write null data");
        }
        write(file, new int[] {data.length}, data);
    }

    /** Writes {@code array} with its own shape (1-D or 2-D), atomically, as {@link #write(Path, float[], int, int)}. */
    public static void write(Path file, NpyArray array) throws IOException {
        write(file, array.shape(), array.data());
    }

    private static void write(Path file, int[] shape, float[] data) throws IOException {
        byte[] header = header(shape);
        AtomicFile.write(file, ch -> {
            writeFully(ch, ByteBuffer.wrap(header));
            writeData(ch, data);
        });
    }

    /** The bytes of a whole {@code .npy} file; for archive entries, which are small. */
    static byte[] toBytes(int[] shape, float[] data) {
        byte[] header = header(shape);
        ByteBuffer out = ByteBuffer.allocate(header.length + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        out.asFloatBuffer().put(data);
        return out.array();
    }

    /**
     * The header {@code numpy.save} writes before the data of a 2-D {@code '<f4'} C-order array of
     * {@code rows x cols} (format 1.0, its length a multiple of 64 that does not depend on
     * {@code rows}): for writers that place the rows themselves, row {@code r} at byte
     * {@code header.length + 4L * r * cols}, little-endian, as fvec-spark's executors do.
     *
     * @throws IllegalArgumentException if a size is negative
     */
    public static byte[] header2d(int rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + "): sizes must be >= 0");
        }
        return header(new int[] {rows, cols});
    }

    /** The header {@code numpy.save} writes for a {@code '<f4'} array of this shape: {@link NpyHeader#bytes}. */
    static byte[] header(int[] shape) {
        return NpyHeader.bytes(shape);
    }

    private static void writeData(WritableByteChannel ch, float[] data) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(4, 4L * data.length)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / 4;
        for (int done = 0; done < data.length; ) {
            int n = Math.min(perChunk, data.length - done);
            buf.clear();
            buf.asFloatBuffer().put(data, done, n);
            buf.limit(4 * n);
            writeFully(ch, buf);
            done += n;
        }
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
