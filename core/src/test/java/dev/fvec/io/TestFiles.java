package dev.fvec.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builders for hand-made {@code .npy} bytes and zip archives, and access to fixture files. */
final class TestFiles {

    private TestFiles() {
    }

    /** A fixture under {@code src/test/resources/npy/} (made by {@code make_fixtures.py}). */
    static Path fixture(String name) {
        return resource("/npy/" + name);
    }

    /** A golden case file under {@code src/test/resources/golden/}. */
    static Path golden(String relative) {
        return resource("/golden/" + relative);
    }

    private static Path resource(String name) {
        URL url = TestFiles.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A .npy file with the given version and header dict, unpadded, followed by {@code data}. */
    static byte[] npy(int major, String dict, byte[] data) {
        byte[] text = dict.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        return npyRaw(major, text, data);
    }

    static byte[] npyRaw(int major, byte[] headerText, byte[] data) {
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + headerText.length + data.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) headerText.length);
        } else {
            b.putInt(headerText.length);
        }
        return b.put(headerText).put(data).array();
    }

    /** The usual header dict for a shape written as Python does, e.g. "(3, 4)" or "(5,)". */
    static String dict(String descr, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n";
    }

    static byte[] f4(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static byte[] f8(double... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static long crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return c.getValue();
    }

    /**
     * Writes zip archives byte by byte, so tests can declare any sizes, checksums and methods
     * (java.util.zip's writer always tells the truth).
     */
    static final class ZipBuilder {
        static final int STORED = 0;
        static final int DEFLATED = 8;

        private static final class Entry {
            String name;
            int method;
            byte[] payload;
            long crc;
            long compressedSize;
            long size;
        }

        private final List<Entry> entries = new ArrayList<>();

        /** An honest entry: {@code content} stored or deflated, with its true sizes and checksum. */
        ZipBuilder add(String name, byte[] content, boolean deflate) {
            byte[] payload = deflate ? deflate(content) : content;
            return addRaw(name, deflate ? DEFLATED : STORED, payload, crc(content), payload.length, content.length);
        }

        /** An entry with whatever the caller declares. */
        ZipBuilder addRaw(String name, int method, byte[] payload, long crc, long compressedSize, long size) {
            Entry e = new Entry();
            e.name = name;
            e.method = method;
            e.payload = payload;
            e.crc = crc;
            e.compressedSize = compressedSize;
            e.size = size;
            entries.add(e);
            return this;
        }

        byte[] build() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<Integer> offsets = new ArrayList<>();
            for (Entry e : entries) {
                offsets.add(out.size());
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                ByteBuffer h = le(30 + name.length);
                h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) e.method)
                        .putShort((short) 0).putShort((short) 0x21) // 1980-01-01
                        .putInt((int) e.crc).putInt((int) e.compressedSize).putInt((int) e.size)
                        .putShort((short) name.length).putShort((short) 0).put(name);
                out.write(h.array());
                out.write(e.payload);
            }
            int cdStart = out.size();
            for (int i = 0; i < entries.size(); i++) {
                Entry e = entries.get(i);
                byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
                ByteBuffer c = le(46 + name.length);
                c.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
                        .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21)
                        .putInt((int) e.crc).putInt((int) e.compressedSize).putInt((int) e.size)
                        .putShort((short) name.length).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt(offsets.get(i)).put(name);
                out.write(c.array());
            }
            int cdSize = out.size() - cdStart;
            ByteBuffer end = le(22);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) entries.size()).putShort((short) entries.size())
                    .putInt(cdSize).putInt(cdStart).putShort((short) 0);
            out.write(end.array());
            return out.toByteArray();
        }

        private static ByteBuffer le(int n) {
            return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /**
     * A raw deflate stream that inflates to {@code prefix} followed by {@code zeroMiB} MiB of
     * zeros, built in a few MiB however large the output: after a full flush the deflater's
     * state is reset, so every further MiB of zeros compresses to the same bytes and can be
     * repeated instead of recompressed.
     */
    static byte[] zipBomb(byte[] prefix, int zeroMiB) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(flush(d, prefix, Deflater.FULL_FLUSH));
        byte[] zeros = new byte[1 << 20];
        byte[] first = flush(d, zeros, Deflater.FULL_FLUSH);
        byte[] block = flush(d, zeros, Deflater.FULL_FLUSH);
        if (!java.util.Arrays.equals(first, block)) {
            throw new IllegalStateException("deflate output of identical blocks differs; cannot repeat it");
        }
        out.writeBytes(first);
        for (int i = 1; i < zeroMiB; i++) {
            out.writeBytes(block);
        }
        d.finish();
        byte[] buf = new byte[64];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    private static byte[] flush(Deflater d, byte[] input, int mode) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, mode);
            out.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        return out.toByteArray();
    }
}
