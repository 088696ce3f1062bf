package dev.fvec.io;

import dev.fvec.DiagonalGmm;
import dev.fvec.Projection;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The optional PCA keys of a model archive (SPEC.md, "Files"): {@code pca_mean (Din)},
 * {@code pca_components (D, Din)}, {@code pca_explained_variance (D)} (float32 or float64) and
 * {@code pca_whiten} (a 0-d bool or integer, 0 or 1), as {@code numpy.savez(..., pca_mean=p.mean_,
 * pca_components=p.components_, pca_explained_variance=p.explained_variance_,
 * pca_whiten=p.whiten)} writes them for a fitted scikit-learn {@code PCA}.
 */
final class NpzProjection {

    /** The float array keys, read like the mixture's arrays. */
    static final String[] FLOAT_KEYS = {"pca_mean", "pca_components", "pca_explained_variance"};
    static final String WHITEN = "pca_whiten";

    /** A 0-d {@code .npy} is a header and one value: a few hundred bytes at most. */
    private static final int MAX_SCALAR_BYTES = 4096;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private NpzProjection() {
    }

    /**
     * {@code gmm} with the projection the archive's PCA arrays describe, or {@code gmm} itself
     * when there is none. {@code arrays} holds whichever float keys the archive has.
     *
     * @throws NpyFormatException if the keys are incomplete, of the wrong shape, or disagree with the
     *     mixture (names the keys and both dimensions)
     */
    static DiagonalGmm attach(String source, DiagonalGmm gmm, Map<String, NpyArray> arrays, Boolean whiten)
            throws NpyFormatException {
        NpyArray mean = arrays.get("pca_mean");
        NpyArray components = arrays.get("pca_components");
        NpyArray variance = arrays.get("pca_explained_variance");
        if (mean == null && components == null) {
            if (variance != null || whiten != null) {
                throw new NpyFormatException(source, "has " + (variance != null ? "pca_explained_variance" : WHITEN)
                        + " but neither pca_mean nor pca_components: a projection needs both");
            }
            return gmm;
        }
        if (mean == null || components == null) {
            throw new NpyFormatException(source, "has " + (mean == null ? "pca_components" : "pca_mean") + " but not "
                    + (mean == null ? "pca_mean" : "pca_components") + ": a projection needs both");
        }
        if (mean.ndim() != 1) {
            throw new NpyFormatException(source, "pca_mean has shape " + NpyArray.shapeString(mean.shape())
                    + "; expected (Din,)");
        }
        if (components.ndim() != 2) {
            throw new NpyFormatException(source, "pca_components has shape "
                    + NpyArray.shapeString(components.shape()) + "; expected (D, Din)");
        }
        int din = mean.size();
        int d = components.rows();
        if (components.cols() != din) {
            throw new NpyFormatException(source, "pca_components has shape " + NpyArray.shapeString(components.shape())
                    + " but pca_mean has " + NpyArray.shapeString(mean.shape()) + ": they disagree on Din ("
                    + components.cols() + " vs " + din + ")");
        }
        if (d != gmm.dimension()) {
            throw new NpyFormatException(source, "pca_components has shape " + NpyArray.shapeString(components.shape())
                    + ", projecting Din = " + din + " to D = " + d + ", but means has shape (" + gmm.components()
                    + ", " + gmm.dimension() + "): the mixture's D = " + gmm.dimension() + " must equal the projection's");
        }
        if (variance != null && (variance.ndim() != 1 || variance.size() != d)) {
            throw new NpyFormatException(source, "pca_explained_variance has shape "
                    + NpyArray.shapeString(variance.shape()) + "; expected (" + d + ",), one per row of pca_components "
                    + NpyArray.shapeString(components.shape()));
        }
        boolean w = whiten != null && whiten;
        try {
            return gmm.withProjection(Projection.of(din, d, mean.data(), components.data(),
                    variance == null ? null : variance.data(), w));
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source, "invalid projection: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the 0-d {@code pca_whiten} entry: dtype bool, or a signed or unsigned integer of 1 to 8
     * bytes, either byte order; shape {@code ()}; value 0 or 1.
     */
    static boolean readWhiten(ZipFile zip, ZipEntry e, String archive) throws IOException {
        String source = archive + ", entry " + Npy.quote(e.getName());
        byte[] bytes;
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            bytes = in.readNBytes(MAX_SCALAR_BYTES + 1);
        } catch (IOException | RuntimeException ex) {
            throw new NpyFormatException(source, "damaged entry: " + ex, ex);
        }
        if (bytes.length > MAX_SCALAR_BYTES) {
            throw new NpyFormatException(source, "more than " + MAX_SCALAR_BYTES
                    + " bytes: expected a 0-d bool or integer (the PCA whiten flag)");
        }
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw new NpyFormatException(source, "checksum mismatch: the entry is corrupt");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
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
        String header = new String(bytes, b.position(), headerLength, StandardCharsets.ISO_8859_1);
        b.position(b.position() + headerLength);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new NpyFormatException(source, "header " + header.trim() + " lacks 'descr', 'fortran_order' or 'shape'");
        }
        if (!shape.group(1).trim().isEmpty()) {
            throw new NpyFormatException(source, "shape (" + shape.group(1).trim()
                    + ") is not (): pca_whiten must be a 0-d bool or integer");
        }
        String dtype = descr.group(1);
        if (!dtype.matches("[|<>=]?(b1|[iu][1248])")) {
            throw new NpyFormatException(source, "dtype " + Npy.quote(dtype)
                    + " is not supported for pca_whiten (expected a bool '|b1' or an integer such as '<i8')");
        }
        int size = Integer.parseInt(dtype.substring(dtype.length() - 1));
        if (b.remaining() != size) {
            throw new NpyFormatException(source, "holds " + b.remaining() + " data bytes, expected " + size
                    + " for one " + Npy.quote(dtype));
        }
        if (dtype.charAt(0) == '>') {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        long value;
        switch (size) {
            case 1:
                value = b.get();
                break;
            case 2:
                value = b.getShort();
                break;
            case 4:
                value = b.getInt();
                break;
            default:
                value = b.getLong();
        }
        if (value != 0 && value != 1) {
            throw new NpyFormatException(source, "pca_whiten = " + value + ": expected 0 (false) or 1 (true)");
        }
        return value == 1;
    }

    /** Adds the PCA entries of {@code model}'s projection, if any, to {@code entries} (float32; the flag a 0-d bool). */
    static void addEntries(Map<String, byte[]> entries, DiagonalGmm model) {
        if (model.projection().isEmpty()) {
            return;
        }
        Projection p = model.projection().get();
        int din = p.inputDimension();
        int d = p.outputDimension();
        entries.put("pca_mean.npy", Npy.toBytes(new int[] {din}, p.mean()));
        entries.put("pca_components.npy", Npy.toBytes(new int[] {d, din}, p.components()));
        if (p.explainedVariance().isPresent()) {
            entries.put("pca_explained_variance.npy", Npy.toBytes(new int[] {d}, p.explainedVariance().get()));
        }
        entries.put(WHITEN + ".npy", boolScalar(p.whiten()));
    }

    /** A 0-d {@code '|b1'} {@code .npy}, with the header padded to 64 bytes as numpy writes it. */
    static byte[] boolScalar(boolean value) {
        StringBuilder dict = new StringBuilder("{'descr': '|b1', 'fortran_order': False, 'shape': (), }");
        int prefix = MAGIC.length + 2 + 2;
        int padding = 64 - (prefix + dict.length() + 1) % 64;
        dict.append(" ".repeat(padding % 64)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + text.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text).put((byte) (value ? 1 : 0));
        return out.array();
    }
}
