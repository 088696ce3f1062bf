package dev.fvec.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates a {@code .npy} header from untrusted bytes: magic, version, header
 * length (capped at {@link Npy#MAX_HEADER_LENGTH} before anything is allocated for it) and the
 * header dict, a small Python literal read by a strict parser of its own (not a Python
 * evaluator). Every problem is an {@link NpyFormatException} naming the source and what was found.
 */
final class NpyHeaderParser {

    private NpyHeaderParser() {
    }

    /**
     * Reads and validates magic, version, header length and header dict. {@code available} is the
     * file size when {@code exact}, else an upper bound on the stream length described by
     * {@code limitReason}.
     */
    static NpyHeader parse(ReadableByteChannel ch, String source, long available, boolean exact,
            String limitReason) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        prefix.limit(8);
        int got = NpyDataReader.readFully(ch, prefix);
        for (int i = 0; i < Math.min(got, NpyHeader.MAGIC.length); i++) {
            if (prefix.get(i) != NpyHeader.MAGIC[i]) {
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
        if (NpyDataReader.readFully(ch, prefix) < lengthBytes) {
            throw new NpyFormatException(source, "truncated: the file ends inside the header length field");
        }
        long headerLength = major == 1 ? prefix.getShort(8) & 0xffffL : prefix.getInt(8) & 0xffffffffL;
        long dataOffset = 8 + lengthBytes + headerLength;
        if (headerLength > Npy.MAX_HEADER_LENGTH) {
            throw new NpyFormatException(source, "header length " + headerLength + " is larger than the "
                    + Npy.MAX_HEADER_LENGTH + "-byte limit (a NumPy header for a 2-D array is about 120 bytes)");
        }
        if (dataOffset > available) {
            throw new NpyFormatException(source, exact
                    ? "truncated: header length field says " + headerLength + " bytes but only "
                            + (available - 8 - lengthBytes) + " bytes follow it"
                    : "header length " + headerLength + " is larger than " + limitReason);
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        int headerGot = NpyDataReader.readFully(ch, headerBytes);
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

    private static NpyHeader validate(Map<String, Object> dict, String source, long dataOffset, int major)
            throws NpyFormatException {
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw new NpyFormatException(source, "header has unexpected key " + Npy.quote(key)
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
            throw new NpyFormatException(source, "dtype " + Npy.quote(dtype) + " is not supported (expected '<f4' or '<f8';"
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
            if (dim > Npy.MAX_ELEMENTS || (count = count * dim) > Npy.MAX_ELEMENTS) {
                throw new NpyFormatException(source, "shape " + shapeText + " has more elements than the "
                        + Npy.MAX_ELEMENTS + " a Java array can hold");
            }
        }
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = (int) dims[i];
        }
        return new NpyHeader(shape, dtype, dataOffset, major);
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
                    throw new NpyFormatException(source, "header has key " + Npy.quote(key) + " twice");
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
                        + " digits, more than the " + Npy.MAX_ELEMENTS + " elements a Java array can hold");
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
                    + " of " + Npy.quote(shown));
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
                return Npy.quote((String) value);
            }
            return String.valueOf(value);
        }
    }
}
