package dev.fvec.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The parsed, validated header of a {@code .npy} file: shape, dtype and where the data starts,
 * as {@link Npy#readHeader(java.nio.file.Path)} returns it. For a file, the data size it
 * declares has already been checked against the file size. The header is parsed by
 * {@code NpyHeaderParser} (see {@link Npy} for what is accepted) and written by {@link #bytes}.
 *
 * <p>Immutable and thread-safe.
 */
public final class NpyHeader extends NpyShape {

    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    // numpy.lib.format's layout of a written header (see bytes()).
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    final int[] shape; // package-private: Npy wraps it without a copy
    private final String dtype;
    final long dataOffset;
    private final int major;
    private final int size;

    NpyHeader(int[] shape, String dtype, long dataOffset, int major) {
        this.shape = shape;
        this.dtype = dtype;
        this.dataOffset = dataOffset;
        this.major = major;
        long n = 1;
        for (int dim : shape) {
            n *= dim;
        }
        this.size = (int) n; // checked against MAX_ELEMENTS by the parser
    }





    /** Element count, the product of the shape. */
    public int size() {
        return size;
    }

    /** The dtype as written in the file: {@code '<f4'}, {@code '<f8'}, {@code '>f4'} or {@code '>f8'}. */
    public String dtype() {
        return dtype;
    }

    /** Bytes per element in the file, 4 or 8. */
    public int itemSize() {
        return dtype.charAt(2) == '8' ? 8 : 4;
    }

    /** Byte offset of the first data byte from the start of the file. */
    public long dataOffset() {
        return dataOffset;
    }

    /** Number of data bytes, {@code size() * itemSize()}. */
    public long dataBytes() {
        return (long) size * itemSize();
    }

    /** Format major version, 1, 2 or 3 (the minor version is always 0). */
    public int majorVersion() {
        return major;
    }

    ByteOrder byteOrder() {
        return dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** {@code "1000 x 64 <f4 (256000 bytes of data)"}, for messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : " x ").append(shape[i]);
        }
        return sb.append(' ').append(dtype).append(" (").append(dataBytes()).append(" bytes of data)").toString();
    }

    @Override
    int[] shapeArray() {
        return shape;
    }

    @Override
    public String toString() {
        return "NpyHeader[shape=" + NpyArray.shapeString(shape) + ", dtype=" + dtype + ", dataOffset="
                + dataOffset + ", version=" + major + ".0]";
    }

    // ---------------------------------------------------------------- writing

    /**
     * Magic, version 1.0, header length and the padded dict for a {@code '<f4'} C-order array of
     * this shape, exactly as numpy.lib.format writes them: the dict is padded with spaces so the
     * data starts at a multiple of 64 bytes, after leaving room for the first
     * dimension to grow to 21 digits. So the header's length does
     * not depend on the row count, and a writer can rewrite it in place ({@link NpyRowWriter}).
     */
    static byte[] bytes(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': ")
                .append(NpyArray.shapeString(shape)).append(", }");
        dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape[0]).length()));
        int prefix = MAGIC.length + 2 + 2;
        int padding = ALIGN - (prefix + dict.length() + 1) % ALIGN;
        dict.append(" ".repeat(padding % ALIGN)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + text.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text);
        return out.array();
    }
}
