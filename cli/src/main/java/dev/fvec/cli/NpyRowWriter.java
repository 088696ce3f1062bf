package dev.fvec.cli;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a 2-D {@code <f4} C-order {@code .npy} (format 1.0) one row at a time, so encoding many
 * files needs memory for one Fisher vector, not for all of them. The number of rows is declared up
 * front; {@link #close()} fails if a different number was written.
 *
 * <p>Call it on a temporary file ({@link OutputFile}); it does not make the write atomic itself.
 */
final class NpyRowWriter implements Closeable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private final OutputStream out;
    private final long rows;
    private final int cols;
    private final ByteBuffer row;
    private long written;

    NpyRowWriter(Path path, long rows, int cols) throws IOException {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("shape (" + rows + ", " + cols + ") is negative");
        }
        this.rows = rows;
        this.cols = cols;
        this.row = ByteBuffer.allocate(Math.multiplyExact(cols, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
        out.write(header(rows, cols));
    }

    /**
     * The magic, version 1.0, a little-endian uint16 length and the dict, padded with spaces and a
     * final newline so that the data starts at a multiple of 64 bytes, as NumPy writes it.
     */
    static byte[] header(long rows, int cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        StringBuilder sb = new StringBuilder(dict);
        while (MAGIC.length + 2 + sb.length() + 1 < padded) {
            sb.append(' ');
        }
        sb.append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) text.length).put(text);
        return b.array();
    }

    /** Appends one row of {@code cols} values. */
    void writeRow(float[] values) throws IOException {
        if (values.length != cols) {
            throw new IllegalArgumentException("row has " + values.length + " values, expected " + cols);
        }
        if (written == rows) {
            throw new IllegalStateException("all " + rows + " rows are already written");
        }
        row.clear();
        row.asFloatBuffer().put(values);
        out.write(row.array());
        written++;
    }

    @Override
    public void close() throws IOException {
        out.close();
        if (written != rows) {
            throw new IOException("wrote " + written + " rows of the " + rows + " declared");
        }
    }
}
