package dev.fvec.io;

import dev.fvec.DiagonalGmm;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: zip files whose entries {@code <key>.npy} are
 * {@code .npy} arrays (see {@link Npy} for the arrays accepted). Entries may be stored
 * ({@code numpy.savez}) or deflated ({@code numpy.savez_compressed}).
 *
 * <p>A model archive holds the three arrays of a diagonal Gaussian mixture, float32 or float64,
 * C order, under the keys scikit-learn's attribute names suggest:
 * <ul>
 *   <li>{@code weights}: shape {@code (K,)};</li>
 *   <li>{@code means}: shape {@code (K, D)}, row-major;</li>
 *   <li>{@code covariances}: shape {@code (K, D)}, the diagonal variances (sigma squared), as
 *       {@code GaussianMixture(covariance_type='diag').covariances_}.</li>
 * </ul>
 * It is what {@code numpy.savez(path, weights=g.weights_, means=g.means_,
 * covariances=g.covariances_)} writes for a fitted scikit-learn model.
 *
 * <p>Optional PCA keys put a {@link dev.fvec.Projection} in front of the mixture:
 * {@code pca_mean (Din,)}, {@code pca_components (D, Din)}, {@code pca_explained_variance (D,)}
 * (float32 or float64) and {@code pca_whiten} (a 0-d bool or integer, 0 or 1; absent means false;
 * {@code pca_explained_variance} is required when it is true), as scikit-learn's {@code PCA}
 * attributes {@code mean_}, {@code components_}, {@code explained_variance_} and {@code whiten}.
 *
 * <p>Hostile archives. Duplicate entry names are rejected (NumPy would silently take one of
 * them). Every entry is read with a byte limit: the uncompressed size the zip declares, but
 * never more than the compressed size allows ({@value #MAX_DEFLATE_RATIO} times, the most
 * deflate can expand) nor {@link #MAX_ENTRY_BYTES}. The {@code .npy} header's declared size is
 * checked against that limit before the data is allocated, and an entry that inflates past what
 * its header declares is rejected after one extra byte, so a zip bomb costs neither memory nor
 * time. Entry checksums are verified. Malformed zip structures are reported as
 * {@link NpyFormatException} too.
 *
 * <p>Archives are read through {@link ZipFile}, so the path must be on the default file system.
 */
public final class Npz {

    /** Deflate cannot expand data by more than about 1032:1; a larger claim is a lie. */
    static final long MAX_DEFLATE_RATIO = 1032;

    /**
     * Largest entry read, in bytes (1 GiB): far beyond any model fvec can encode with (a model of
     * 1 GiB of float32 parameters needs about 6 GiB once {@link DiagonalGmm} derives its terms),
     * and small enough that a consistent but absurd archive cannot exhaust the heap.
     */
    public static final long MAX_ENTRY_BYTES = 1L << 30;

    private static final String[] MODEL_KEYS = {"weights", "means", "covariances"};

    // A fixed timestamp makes the same model always produce the same bytes.
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Reads a diagonal GMM from the arrays {@code weights} {@code (K,)}, {@code means}
     * {@code (K, D)} and {@code covariances} {@code (K, D)}, with the PCA projection of the
     * optional {@code pca_*} keys (see the class comment). Other entries are ignored (but must
     * not be duplicated).
     *
     * @throws NpyFormatException if an array is missing, malformed or of the wrong shape, or the
     *     values do not make a valid model ({@link DiagonalGmm#of}'s checks); the message names the
     *     file, and the entry where there is one
     * @throws IOException if the file cannot be read
     */
    public static DiagonalGmm readModel(Path file) throws IOException {
        String source = file.toString();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        Boolean whiten;
        try (ZipFile zip = open(file)) {
            Map<String, ZipEntry> entries = entries(zip, source);
            for (String key : MODEL_KEYS) {
                ZipEntry e = entries.get(key + ".npy");
                if (e == null) {
                    String held = entries.isEmpty() ? "no entries"
                            : entries.keySet().stream().map(Npy::quote).collect(Collectors.joining(", "));
                    throw new NpyFormatException(source,
                            "missing array '" + key + "' (the archive holds " + held + ")");
                }
                arrays.put(key, readEntry(zip, e, file, source));
            }
            for (String key : NpzProjection.FLOAT_KEYS) { // optional: a PCA projection in front of the mixture
                ZipEntry e = entries.get(key + ".npy");
                if (e != null) {
                    arrays.put(key, readEntry(zip, e, file, source));
                }
            }
            ZipEntry whitenEntry = entries.get(NpzProjection.WHITEN + ".npy");
            whiten = whitenEntry == null ? null : NpzProjection.readWhiten(zip, whitenEntry, source);
        }
        NpyArray w = arrays.get("weights");
        NpyArray mu = arrays.get("means");
        NpyArray var = arrays.get("covariances");
        if (w.ndim() != 1) {
            throw new NpyFormatException(source, "weights has shape " + shape(w) + "; expected (K,)");
        }
        if (mu.ndim() != 2) {
            throw new NpyFormatException(source, "means has shape " + shape(mu) + "; expected (K, D)");
        }
        if (var.ndim() != 2) {
            throw new NpyFormatException(source, "covariances has shape " + shape(var)
                    + "; expected (K, D), the diagonal variances of covariance_type='diag'");
        }
        if (!Arrays.equals(mu.shape(), var.shape())) {
            throw new NpyFormatException(source, "means has shape " + shape(mu) + " but covariances has " + shape(var));
        }
        if (w.size() != mu.rows()) {
            throw new NpyFormatException(source, "weights has shape " + shape(w) + " but means has " + shape(mu)
                    + ": they disagree on the number of components K");
        }
        DiagonalGmm gmm;
        try {
            gmm = DiagonalGmm.of(mu.rows(), mu.cols(), w.data(), mu.data(), var.data());
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source, "invalid model: " + e.getMessage(), e);
        }
        return NpzProjection.attach(source, gmm, arrays, whiten);
    }

    /**
     * Reads every array of an archive, keyed by entry name without {@code .npy}, in archive
     * order. Every entry must be a {@code .npy} array that {@link Npy} reads, except the PCA flag
     * {@code pca_whiten} (a 0-d bool or integer, 0 or 1, see the class comment), which is returned
     * as a 1-element vector, {@code 1} for true and {@code 0} for false, so that a model with a
     * projection reads as well as one without.
     *
     * @throws NpyFormatException if an entry is duplicated, not a {@code .npy}, or malformed
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NpyArray> readAll(Path file) throws IOException {
        String source = file.toString();
        Map<String, NpyArray> out = new LinkedHashMap<>();
        try (ZipFile zip = open(file)) {
            for (Map.Entry<String, ZipEntry> e : entries(zip, source).entrySet()) {
                String name = e.getKey();
                if (!name.endsWith(".npy")) {
                    throw new NpyFormatException(source, "entry " + Npy.quote(name) + " is not a .npy array");
                }
                String key = name.substring(0, name.length() - 4);
                if (key.equals(NpzProjection.WHITEN)) { // a 0-d bool, which NpyArray (float, 1-D or 2-D) cannot hold
                    boolean whiten = NpzProjection.readWhiten(zip, e.getValue(), source);
                    out.put(key, NpyArray.vector(new float[] {whiten ? 1f : 0f}));
                } else {
                    out.put(key, readEntry(zip, e.getValue(), file, source));
                }
            }
        }
        return out;
    }

    /**
     * Writes {@code model} as float32 arrays {@code weights}, {@code means}, {@code covariances}
     * (the weights after {@link DiagonalGmm}'s renormalisation), and the {@code pca_*} arrays when
     * it has a projection ({@code pca_whiten} as a 0-d bool), stored uncompressed as
     * {@code numpy.savez} does, atomically (a temporary file in the same directory is moved over
     * {@code file}).
     *
     * @throws IOException if writing fails
     */
    public static void writeModel(Path file, DiagonalGmm model) throws IOException {
        writeEntries(file, modelEntries(model));
    }

    /** The entries {@link #writeModel} writes for {@code model}, in order, as {@code .npy} bytes. */
    static Map<String, byte[]> modelEntries(DiagonalGmm model) {
        int k = model.components();
        int d = model.dimension();
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("weights.npy", Npy.toBytes(new int[] {k}, model.weights()));
        entries.put("means.npy", Npy.toBytes(new int[] {k, d}, model.means()));
        entries.put("covariances.npy", Npy.toBytes(new int[] {k, d}, model.variances()));
        NpzProjection.addEntries(entries, model); // pca_* when the model has a projection
        return entries;
    }

    /**
     * Writes {@code entries} (name to {@code .npy} bytes, in order) as a stored archive, as
     * {@code numpy.savez} does, atomically, with fixed timestamps.
     */
    static void writeEntries(Path file, Map<String, byte[]> entries) throws IOException {
        AtomicFile.write(file, ch -> {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] bytes = e.getValue();
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(bytes.length);
                entry.setCompressedSize(bytes.length);
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(ENTRY_TIME);
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
            // finish, not close: closing would close the channel before it is forced to disk.
            zip.finish();
            out.flush();
        });
    }

    private static String describe(Throwable e) {
        if (e instanceof EOFException) {
            return "the compressed data ends early";
        }
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static String shape(NpyArray a) {
        return NpyArray.shapeString(a.shape());
    }

    static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (FileNotFoundException | NoSuchFileException | AccessDeniedException e) {
            throw e; // not a format problem
        } catch (IOException | RuntimeException e) {
            // ZipFile reports a damaged archive with ZipException or, for some corruptions,
            // unchecked exceptions; to callers both are a malformed file.
            throw new NpyFormatException(file.toString(), "not a valid .npz (zip) archive: " + describe(e), e);
        }
    }

    /** All entries by name, in archive order; duplicates are an error. */
    static Map<String, ZipEntry> entries(ZipFile zip, String source) throws NpyFormatException {
        Map<String, ZipEntry> out = new LinkedHashMap<>();
        try {
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                if (out.put(e.getName(), e) != null) {
                    throw new NpyFormatException(source, "duplicate entry " + Npy.quote(e.getName()));
                }
            }
        } catch (RuntimeException e) {
            throw new NpyFormatException(source, "not a valid .npz (zip) archive: " + describe(e), e);
        }
        return out;
    }

    static NpyArray readEntry(ZipFile zip, ZipEntry e, Path file, String archive) throws IOException {
        String source = archive + ", entry " + Npy.quote(e.getName());
        int method = e.getMethod();
        if (method != ZipEntry.STORED && method != ZipEntry.DEFLATED) {
            throw new NpyFormatException(source, "compression method " + method + " is not supported (only stored,"
                    + " as numpy.savez writes, and deflated, as numpy.savez_compressed writes)");
        }
        // The declared sizes are untrusted, but they can only lower the limit; the compressed
        // size cannot exceed the file, and deflate cannot expand by more than MAX_DEFLATE_RATIO.
        long fileSize = Files.size(file);
        long compressed = e.getCompressedSize() < 0 ? fileSize : Math.min(e.getCompressedSize(), fileSize);
        long limit = method == ZipEntry.STORED ? compressed : compressed * MAX_DEFLATE_RATIO + 64;
        String reason = method == ZipEntry.STORED
                ? "the " + compressed + " bytes the entry holds"
                : "the " + limit + " bytes its " + compressed + " compressed bytes can inflate to";
        if (limit > MAX_ENTRY_BYTES) {
            limit = MAX_ENTRY_BYTES;
            reason = "the " + MAX_ENTRY_BYTES + "-byte limit for an entry";
        }
        boolean exact = e.getSize() >= 0 && e.getSize() <= limit;
        if (exact) {
            limit = e.getSize();
            reason = "the entry's declared size";
        }
        NpyArray array;
        CRC32 crc = new CRC32();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
            array = Npy.read(in, source, limit, reason, exact);
        } catch (NpyFormatException ex) {
            throw ex;
        } catch (IOException | RuntimeException ex) {
            // ZipException, EOFException from a cut deflate stream, and the unchecked exceptions
            // ZipFile throws for some corruptions: all of them mean a damaged entry.
            throw new NpyFormatException(source, "damaged entry: " + describe(ex), ex);
        }
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw new NpyFormatException(source, "checksum mismatch (CRC-32 " + Long.toHexString(crc.getValue())
                    + ", the archive says " + Long.toHexString(e.getCrc()) + "): the entry is corrupt");
        }
        return array;
    }
}
