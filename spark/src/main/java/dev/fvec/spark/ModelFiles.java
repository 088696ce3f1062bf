package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.SpatialModel;
import dev.fvec.io.Npz;
import dev.fvec.io.SpatialFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Reads and writes a model's {@code .npz} on any Hadoop file system (local, HDFS, object stores)
 * through a local temporary copy, so that {@link Npz}'s own parser and writer are used unchanged.
 */
final class ModelFiles {

    private ModelFiles() {
    }

    /** A mixture and the spatial Gaussians of its archive. */
    static final class WithSpatial {
        final DiagonalGmm gmm;
        /** The archive's, or uniform when it has none; null when not asked for. */
        final SpatialModel spatial;
        /** Whether the archive holds spatial_means and spatial_variances. */
        final boolean stored;

        WithSpatial(DiagonalGmm gmm, SpatialModel spatial, boolean stored) {
            this.gmm = gmm;
            this.spatial = spatial;
            this.stored = stored;
        }
    }

    /**
     * Reads the {@code .npz} model at {@code path} (any Hadoop URI or a local path) and, if
     * {@code spatial}, its spatial Gaussians
     * ({@link SpatialFiles#readSpatialModel}: uniform when the archive has none), from one copy.
     */
    static WithSpatial readWithSpatial(String path, Configuration conf, boolean spatial) {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(path);
        Path tmp = null;
        try {
            tmp = Files.createTempFile("fvec-model-", ".npz");
            FileSystem fs = src.getFileSystem(conf);
            fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
            DiagonalGmm gmm = Npz.readModel(tmp);
            if (!spatial) {
                return new WithSpatial(gmm, null, false);
            }
            boolean stored;
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(tmp.toFile())) {
                stored = zip.getEntry(SpatialFiles.SPATIAL_MEANS + ".npy") != null
                        || zip.getEntry(SpatialFiles.SPATIAL_VARIANCES + ".npy") != null;
            }
            return new WithSpatial(gmm, SpatialFiles.readSpatialModel(tmp, gmm.components()), stored);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + path + ": "
                    + (tmp == null ? e.getMessage() : e.getMessage().replace(tmp.toString(), path)), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Writes {@code model} and, unless null, its spatial Gaussians ({@link SpatialFiles#writeModel})
     * as an {@code .npz} to {@code path}, replacing it if {@code overwrite}.
     */
    static void write(DiagonalGmm model, SpatialModel spatial, String path, Configuration conf, boolean overwrite) {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(path);
        Path dir = null;
        Path tmp = null;
        try {
            dir = Files.createTempDirectory("fvec-model-");
            tmp = dir.resolve("model.npz");
            if (spatial == null) {
                Npz.writeModel(tmp, model);
            } else {
                SpatialFiles.writeModel(tmp, model, spatial);
            }
            FileSystem fs = dst.getFileSystem(conf);
            fs.copyFromLocalFile(false, overwrite, new org.apache.hadoop.fs.Path(tmp.toUri()), dst);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model to " + path + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }
}
