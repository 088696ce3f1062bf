package dev.fvec.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A tiny {@code .npy} entry of an archive that is not a float array (the PCA whiten flag, an
 * image's size), read whole: the entry is bounded before anything is parsed, so a hostile one
 * costs at most {@code maxBytes}. Accepts the dtypes bool ({@code b1}), signed and unsigned
 * integers of 1 to 8 bytes and floats of 4 or 8, either byte order, C order; its callers check the
 * shape and which dtypes they take. Float arrays are {@link NpyHeaderParser}'s.
 */
final class SmallNpy {

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([iufb])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** {@code "archive, entry 'name'"}, for messages. */
    final String source;
    /** The dtype's kind: {@code 'b'}, {@code 'i'}, {@code 'u'} or {@code 'f'}. */
    final char kind;
    final int itemSize;
    /** The dtype as written, e.g. {@code "<i8"}. */
    final String dtype;
    /** The shape's text between the parentheses, trimmed: {@code ""} for 0-d, {@code "2,"} for 2 values. */
    final String shape;
    /** The header as written, trimmed, for messages. */
    final String header;
    private final ByteBuffer data; // exactly the data bytes, in the dtype's byte order

    private SmallNpy(String source, char kind, int itemSize, String dtype, String shape, String header, ByteBuffer data) {
        this.source = source;
        this.kind = kind;
        this.itemSize = itemSize;
        this.dtype = dtype;
        this.shape = shape;
        this.header = header;
        this.data = data;
    }

    /**
     * Reads {@code e} whole, checks its CRC, magic, version and header, and that its data bytes are a
     * whole number of items.
     *
     * @param what what the entry should hold, for the size message (e.g. "a 0-d bool or integer")
     * @throws NpyFormatException naming {@code archive} and the entry
     */
    static SmallNpy read(ZipFile zip, ZipEntry e, String archive, int maxBytes, String what) throws IOException {
        String source = archive + ", entry " + Npy.quote(e.getName());
        byte[] bytes;
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            bytes = in.readNBytes(maxBytes + 1);
        } catch (IOException | RuntimeException ex) {
            throw new NpyFormatException(source, "damaged entry: " + ex, ex);
        }
        if (bytes.length > maxBytes) {
            throw new NpyFormatException(source, "more than " + maxBytes + " bytes: expected " + what);
        }
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw new NpyFormatException(source, "checksum mismatch: the entry is corrupt");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : NpyHeader.MAGIC) {
            if (!b.hasRemaining() || b.get() != m) {
                throw new NpyFormatException(source, "not a .npy array (bad magic)");
            }
        }
        if (b.remaining() < 2) {
            throw new NpyFormatException(source, "truncated header");
        }
        int major = b.get() & 0xff;
        b.get();
        int headerLength;
        if (major == 1 && b.remaining() >= 2) {
            headerLength = b.getShort() & 0xffff;
        } else if ((major == 2 || major == 3) && b.remaining() >= 4) {
            headerLength = b.getInt();
        } else {
            throw new NpyFormatException(source, "format version " + major + " is not supported, or the header is truncated");
        }
        if (headerLength < 0 || headerLength > b.remaining()) {
            throw new NpyFormatException(source, "truncated header");
        }
        String header = new String(bytes, b.position(), headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).trim();
        b.position(b.position() + headerLength);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!fortran.find() || !shape.find()) {
            throw new NpyFormatException(source, "header " + header + " lacks 'descr', 'fortran_order' or 'shape'");
        }
        if (!descr.find()) {
            throw new NpyFormatException(source, "header " + header + ": the dtype is not a plain number (bool,"
                    + " integer or float)");
        }
        char kind = descr.group(2).charAt(0);
        int itemSize = Integer.parseInt(descr.group(3));
        String dtype = descr.group(1) + descr.group(2) + descr.group(3);
        boolean known = kind == 'f' ? itemSize == 4 || itemSize == 8
                : kind == 'b' ? itemSize == 1 : itemSize == 1 || itemSize == 2 || itemSize == 4 || itemSize == 8;
        if (!known) {
            throw new NpyFormatException(source, "dtype " + Npy.quote(dtype) + " is not supported");
        }
        if (b.remaining() % itemSize != 0) {
            throw new NpyFormatException(source, "holds " + b.remaining() + " data bytes, not a whole number of "
                    + Npy.quote(dtype) + " items");
        }
        // Callers take 0-d and 1-D arrays only, the same in either order: fortran_order is not consulted.
        String text = shape.group(1).trim();
        ByteBuffer data = b.slice().order(descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        return new SmallNpy(source, kind, itemSize, dtype, text, header, data);
    }

    /** The number of items the data holds. */
    int count() {
        return data.remaining() / itemSize;
    }

    /** Item {@code i} as a number: floats as they are, integers and bools exactly (an unsigned 8-byte value above {@code 2^63} is rejected). */
    double number(int i) throws NpyFormatException {
        int at = i * itemSize;
        if (kind == 'f') {
            return itemSize == 4 ? data.getFloat(at) : data.getDouble(at);
        }
        return integer(i);
    }

    /** Item {@code i} of a bool or integer dtype. */
    long integer(int i) throws NpyFormatException {
        int at = i * itemSize;
        long raw = itemSize == 1 ? data.get(at) : itemSize == 2 ? data.getShort(at) : itemSize == 4 ? data.getInt(at) : data.getLong(at);
        if (kind == 'u' || kind == 'b') {
            raw = itemSize == 1 ? raw & 0xff : itemSize == 2 ? raw & 0xffff : itemSize == 4 ? raw & 0xffffffffL : raw;
            if (itemSize == 8 && raw < 0) {
                throw new NpyFormatException(source, "item " + i + " is above 2^63");
            }
        }
        return raw;
    }
}
