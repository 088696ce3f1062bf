package dev.fvec.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    // numpy.lib.format: headers are padded so the data starts at a multiple of 64 bytes, after
    // leaving room for the first dimension to grow to 21 digits (so a writer can append rows and
    // rewrite the shape in place).
    private static final int ALIGN = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private Npy() {
    }

    /**
     * The parsed, validated header of a {@code .npy} file: shape, dtype and where the data
     * starts. For a file, the data size it declares has already been checked against the file
     * size.
     */
    public static final class Header {
        private final int[] shape;
        private final String dtype;
        private final long dataOffset;
        private final int major;
        private final int size;

        Header(int[] shape, String dtype, long dataOffset, int major) {
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

        /** The shape, {@code (n)} or {@code (rows, cols)}; a copy. */
        public int[] shape() {
            return shape.clone();
        }

        /** Number of dimensions, 1 or 2. */
        public int ndim() {
            return shape.length;
        }

        /** As {@link NpyArray#rows()}: {@code shape[0]} for 2-D, 1 for 1-D. */
        public int rows() {
            return shape.length == 2 ? shape[0] : 1;
        }

        /** As {@link NpyArray#cols()}: {@code shape[1]} for 2-D, the length for 1-D. */
        public int cols() {
            return shape.length == 2 ? shape[1] : shape[0];
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

        /** "1000 x 64 <f4 (256000 bytes of data)", for messages. */
        String describe() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < shape.length; i++) {
                sb.append(i == 0 ? "" : " x ").append(shape[i]);
            }
            return sb.append(' ').append(dtype).append(" (").append(dataBytes()).append(" bytes of data)").toString();
        }

        @Override
        public String toString() {
            return "Npy.Header[shape=" + NpyArray.shapeString(shape) + ", dtype=" + dtype + ", dataOffset="
                    + dataOffset + ", version=" + major + ".0]";
        }
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
            Header h = readHeader(ch, source);
            float[] data = new float[h.size()]; // safe: the file really holds this many bytes
            new DataReader(ch, h, source).read(data, 0, h.size());
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
    public static Header readHeader(Path file) throws IOException {
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
    public static Header readInto(Path file, float[] dst, int dstOffset) throws IOException {
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(ch, source);
            if (dst == null || dstOffset < 0 || dstOffset > dst.length || dst.length - dstOffset < h.size()) {
                throw new IllegalArgumentException(source + ": holds " + h.size() + " elements "
                        + NpyArray.shapeString(h.shape) + " but dst "
                        + (dst == null ? "is null" : "of length " + dst.length + " has no room for them from offset "
                                + dstOffset));
            }
            new DataReader(ch, h, source).read(dst, dstOffset, h.size());
            return h;
        }
    }

    private static Header readHeader(FileChannel ch, String source) throws IOException {
        long fileSize = ch.size();
        Header h = parseHeader(ch, source, fileSize, true, null);
        long follows = fileSize - h.dataOffset;
        if (follows < h.dataBytes()) {
            throw truncated(source, h, follows);
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
        Header h = parseHeader(ch, name, maxBytes, exactSize, why);
        long total = h.dataOffset + h.dataBytes();
        if (total > maxBytes) {
            throw new NpyFormatException(name, exactSize
                    ? "truncated: header declares " + h.describe() + ", " + total + " bytes with the header, but "
                            + why + " is only " + maxBytes
                    : "header declares " + h.describe() + ", " + total + " bytes with the header, more than " + why);
        }
        DataReader reader = new DataReader(ch, h, name);
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

    // ---------------------------------------------------------------- header parsing

    /**
     * Reads and validates magic, version, header length and header dict. {@code available} is the
     * file size when {@code exact}, else an upper bound on the stream length described by
     * {@code limitReason}.
     */
    private static Header parseHeader(ReadableByteChannel ch, String source, long available, boolean exact,
            String limitReason) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        prefix.limit(8);
        int got = readFully(ch, prefix);
        for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
            if (prefix.get(i) != MAGIC[i]) {
                throw new NpyFormatException(source,
                        "not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
        }
        if (got < 8) {
            throw new NpyFormatException(source, "truncated: " + got + " bytes, too short for a .npy header");
        }
        int major = prefix.get(6) & 0xff;
        int minor = prefix.get(7) & 0xff;
        if (major < 1 || major > 3 || minor != 0) {
            throw new NpyFormatException(source, "unsupported .npy format version " + major + "." + minor
                    + " (supported: 1.0, 2.0, 3.0)");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        prefix.limit(8 + lengthBytes);
        if (readFully(ch, prefix) < lengthBytes) {
            throw new NpyFormatException(source, "truncated: the file ends inside the header length field");
        }
        long headerLength = major == 1 ? prefix.getShort(8) & 0xffffL : prefix.getInt(8) & 0xffffffffL;
        long dataOffset = 8 + lengthBytes + headerLength;
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new NpyFormatException(source, "header length " + headerLength + " is larger than the "
                    + MAX_HEADER_LENGTH + "-byte limit (a NumPy header for a 2-D array is about 120 bytes)");
        }
        if (dataOffset > available) {
            throw new NpyFormatException(source, exact
                    ? "truncated: header length field says " + headerLength + " bytes but only "
                            + (available - 8 - lengthBytes) + " bytes follow it"
                    : "header length " + headerLength + " is larger than " + limitReason);
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        int headerGot = readFully(ch, headerBytes);
        if (headerGot < headerLength) {
            throw new NpyFormatException(source, "truncated: header length field says " + headerLength
                    + " bytes but only " + headerGot + " bytes follow it");
        }
        String text;
        try {
            // Versions 1 and 2 are latin-1 by definition; 3.0 exists only to allow UTF-8.
            text = (major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(source, "header is not valid UTF-8", e);
        }
        Map<String, Object> dict = new DictParser(text, source).parse();
        return validate(dict, source, dataOffset, major);
    }

    private static Header validate(Map<String, Object> dict, String source, long dataOffset, int major)
            throws NpyFormatException {
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw new NpyFormatException(source, "header has unexpected key " + quote(key)
                        + " (expected exactly 'descr', 'fortran_order' and 'shape')");
            }
        }
        for (String key : new String[] {"descr", "fortran_order", "shape"}) {
            if (!dict.containsKey(key)) {
                throw new NpyFormatException(source, "header has no '" + key + "' key");
            }
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String)) {
            throw new NpyFormatException(source, "header 'descr' is " + DictParser.describe(descr)
                    + ", not a dtype string (structured dtypes are not supported)");
        }
        String dtype = (String) descr;
        if (!dtype.equals("<f4") && !dtype.equals("<f8") && !dtype.equals(">f4") && !dtype.equals(">f8")) {
            throw new NpyFormatException(source, "dtype " + quote(dtype) + " is not supported (expected '<f4' or '<f8';"
                    + " big-endian '>f4' and '>f8' are read too)");
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) {
            throw new NpyFormatException(source, "header 'fortran_order' is " + DictParser.describe(fortran)
                    + ", not True or False");
        }
        if ((Boolean) fortran) {
            throw new NpyFormatException(source,
                    "Fortran order is not supported (save numpy.ascontiguousarray(a) instead)");
        }
        Object shapeValue = dict.get("shape");
        if (!(shapeValue instanceof long[])) {
            throw new NpyFormatException(source, "header 'shape' is " + DictParser.describe(shapeValue)
                    + ", not a tuple of integers");
        }
        long[] dims = (long[]) shapeValue;
        String shapeText = DictParser.describe(dims);
        if (dims.length == 0) {
            throw new NpyFormatException(source,
                    "shape () is a 0-D array (a scalar); only 1-D and 2-D arrays are supported");
        }
        if (dims.length > 2) {
            throw new NpyFormatException(source, "shape " + shapeText + " has " + dims.length
                    + " dimensions; only 1-D and 2-D arrays are supported");
        }
        long count = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new NpyFormatException(source, "shape " + shapeText + " has a negative dimension");
            }
        }
        for (long dim : dims) {
            // Each dim is below 10^18 (the parser's limit), so stop as soon as the product is too big.
            if (dim > MAX_ELEMENTS || (count = count * dim) > MAX_ELEMENTS) {
                throw new NpyFormatException(source, "shape " + shapeText + " has more elements than the "
                        + MAX_ELEMENTS + " a Java array can hold");
            }
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];
        }
        return new Header(shape, dtype, dataOffset, major);
    }

    /**
     * A strict parser for the header: a Python dict literal whose keys are strings and whose values
     * are strings, {@code True}/{@code False}, or tuples of non-negative-looking integers. It is
     * deliberately not a general Python evaluator.
     */
    private static final class DictParser {
        private static final int MAX_DIGITS = 18; // keeps every parsed integer inside a long

        private final String s;
        private final String source;
        private int pos;

        DictParser(String s, String source) {
            this.s = s;
            this.source = source;
        }

        Map<String, Object> parse() throws NpyFormatException {
            Map<String, Object> dict = new HashMap<>();
            skipSpace();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    break;
                }
                if (peek() != '\'' && peek() != '"') {
                    throw error("expected a quoted key");
                }
                String key = parseString();
                skipSpace();
                expect(':');
                skipSpace();
                Object value = parseValue();
                if (dict.put(key, value) != null) {
                    throw new NpyFormatException(source, "header has key " + quote(key) + " twice");
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("expected ',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != s.length()) {
                throw error("unexpected text after the header dict");
            }
            return dict;
        }

        private Object parseValue() throws NpyFormatException {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                return parseTuple();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return parseInt();
            }
            if (c == '[') {
                throw error("a list value (a structured dtype?) is not supported");
            }
            throw error("unsupported value");
        }

        private String parseString() throws NpyFormatException {
            char quote = s.charAt(pos++);
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != quote) {
                if (s.charAt(pos) == '\\' || s.charAt(pos) == '\n') {
                    throw error("unsupported character in a string");
                }
                pos++;
            }
            if (pos == s.length()) {
                throw error("unterminated string");
            }
            return s.substring(start, pos++);
        }

        private long[] parseTuple() throws NpyFormatException {
            pos++; // '('
            List<Long> items = new ArrayList<>();
            boolean sawComma = false;
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    break;
                }
                items.add(parseInt());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    sawComma = true;
                } else if (peek() != ')') {
                    throw error(peek() == '.' || peek() == 'e' || peek() == 'E'
                            ? "shape dimensions must be integers" : "expected ',' or ')' in the shape tuple");
                }
            }
            pos++;
            if (items.size() == 1 && !sawComma) {
                // "(3)" is the integer 3 in Python, not a tuple: NumPy would reject it too.
                throw error("(" + items.get(0) + ") is an integer, not a tuple; a 1-D shape is written (n,)");
            }
            long[] out = new long[items.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = items.get(i);
            }
            return out;
        }

        private Long parseInt() throws NpyFormatException {
            boolean negative = peek() == '-';
            if (negative) {
                pos++;
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                pos++;
            }
            int digits = pos - start;
            if (digits == 0) {
                throw error("expected an integer");
            }
            if (digits > 1 && s.charAt(start) == '0') {
                throw error("invalid integer literal " + s.substring(start, pos));
            }
            if (digits > MAX_DIGITS) {
                throw new NpyFormatException(source, "header has a dimension with " + digits
                        + " digits, more than the " + MAX_ELEMENTS + " elements a Java array can hold");
            }
            long v = Long.parseLong(s.substring(start, pos));
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++; // Python 2 long literal, as old NumPy versions wrote shapes: (3L, 4L)
            }
            return negative ? -v : v;
        }

        private void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t'
                    || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
                pos++;
            }
        }

        private char peek() throws NpyFormatException {
            if (pos >= s.length()) {
                throw error("header dict ends too early");
            }
            return s.charAt(pos);
        }

        private void expect(char c) throws NpyFormatException {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private NpyFormatException error(String what) {
            String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
            return new NpyFormatException(source, "malformed header: " + what + " at character " + pos
                    + " of " + quote(shown));
        }

        static String describe(Object value) {
            if (value instanceof long[]) {
                long[] t = (long[]) value;
                StringBuilder sb = new StringBuilder("(");
                for (int i = 0; i < t.length; i++) {
                    sb.append(i == 0 ? "" : ", ").append(t[i]);
                }
                return sb.append(t.length == 1 ? ",)" : ")").toString();
            }
            if (value instanceof String) {
                return quote((String) value);
            }
            return String.valueOf(value);
        }
    }

    // ---------------------------------------------------------------- data

    /** Moves data from a channel into float arrays in chunks, counting bytes for messages. */
    private static final class DataReader {
        private final ReadableByteChannel ch;
        private final Header header;
        private final String source;
        private final ByteBuffer buffer;
        private long bytesRead;
        private long elementsRead;

        DataReader(ReadableByteChannel ch, Header header, String source) {
            this.ch = ch;
            this.header = header;
            this.source = source;
            this.buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(8, header.dataBytes())))
                    .order(header.byteOrder());
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

    private static NpyFormatException truncated(String source, Header h, long follows) {
        return new NpyFormatException(source, "truncated: header declares " + h.describe() + " but only "
                + follows + " bytes follow");
    }

    /** Reads until {@code buf} is full or the channel ends; returns the bytes read. */
    private static int readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
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

    /** Magic, version 1.0, header length and the padded dict, as numpy.lib.format writes them. */
    static byte[] header(int[] shape) {
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
