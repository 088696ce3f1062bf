package dev.fvec.io;

import dev.fvec.DiagonalGmm;
import dev.fvec.Projection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
        SmallNpy a = SmallNpy.read(zip, e, archive, MAX_SCALAR_BYTES, "a 0-d bool or integer (the PCA whiten flag)");
        if (!a.shape.isEmpty()) {
            throw new NpyFormatException(a.source, "shape (" + a.shape + ") is not (): pca_whiten must be a 0-d bool or integer");
        }
        if (a.kind == 'f') {
            throw new NpyFormatException(a.source, "dtype " + Npy.quote(a.dtype)
                    + " is not supported for pca_whiten (expected a bool '|b1' or an integer such as '<i8')");
        }
        if (a.count() != 1) {
            throw new NpyFormatException(a.source, "holds " + a.count() + " values, expected one " + Npy.quote(a.dtype));
        }
        long value = a.integer(0);
        if (value != 0 && value != 1) {
            throw new NpyFormatException(a.source, "pca_whiten = " + value + ": expected 0 (false) or 1 (true)");
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
        int prefix = NpyHeader.MAGIC.length + 2 + 2;
        int padding = 64 - (prefix + dict.length() + 1) % 64;
        dict.append(" ".repeat(padding % 64)).append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(prefix + text.length + 1).order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length).put(text).put((byte) (value ? 1 : 0));
        return out.array();
    }
}
