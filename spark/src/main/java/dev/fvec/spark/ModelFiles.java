package dev.fvec.spark;

import dev.fvec.DiagonalGmm;
import dev.fvec.io.Npz;
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

    /** Reads the {@code .npz} model at {@code path} (any Hadoop URI or a local path). */
    static DiagonalGmm read(String path, Configuration conf) {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(path);
        Path tmp = null;
        try {
            tmp = Files.createTempFile("fvec-model-", ".npz");
            FileSystem fs = src.getFileSystem(conf);
            fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
            return Npz.readModel(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + path + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** Writes {@code model} as an {@code .npz} to {@code path}, replacing it if {@code overwrite}. */
    static void write(DiagonalGmm model, String path, Configuration conf, boolean overwrite) {
        org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(path);
        Path dir = null;
        Path tmp = null;
        try {
            dir = Files.createTempDirectory("fvec-model-");
            tmp = dir.resolve("model.npz");
            Npz.writeModel(tmp, model);
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
