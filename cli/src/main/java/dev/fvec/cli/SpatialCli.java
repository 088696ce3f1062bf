package dev.fvec.cli;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.PyramidLayout;
import dev.fvec.SpatialEncoder;
import dev.fvec.SpatialFit;
import dev.fvec.SpatialModel;
import dev.fvec.io.AtomicFile;
import dev.fvec.io.NpyRowWriter;
import dev.fvec.io.SpatialFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code fvec encode --pyramid/--spatial} and {@code fvec train --spatial}: inputs are images with
 * positions, {@code .npz} archives of {@code descriptors}, {@code positions} and {@code image_size}
 * (SPEC.md, "Files"). Every error is one line naming the file or option; the output is written
 * atomically, so a failed run writes nothing.
 */
final class SpatialCli {

    /** The options that need image {@code .npz} inputs, for messages. */
    static final String OPTIONS = "--pyramid/--spatial";

    private SpatialCli() {
    }

    /** {@code --pyramid}'s value as a layout, or a one-line error naming the option. */
    static PyramidLayout layout(String spec) throws CliException {
        if (spec == null) {
            return PyramidLayout.WHOLE;
        }
        try {
            return PyramidLayout.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new CliException("--pyramid: " + e.getMessage(), e);
        }
    }

    /**
     * Fails unless {@code path} is a zip archive (an {@code .npz}): a plain {@code .npy} has no
     * positions.
     */
    static void requireImageArchive(Path path, String options) throws CliException, IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(6);
        }
        boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K';
        if (!zip) {
            boolean npy = head.length == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U';
            throw new CliException(path + ": " + options + " need images with positions, .npz archives of"
                    + " descriptors (N, D), positions (N, 2) and image_size (W, H); this is "
                    + (npy ? "a plain .npy descriptor file" : "not a .npz archive"));
        }
    }

    /** Reads an image archive, checked against the model's input dimension. */
    static SpatialFiles.Image readImage(Path path, DiagonalGmm model, Path modelPath) throws CliException, IOException {
        requireImageArchive(path, OPTIONS);
        SpatialFiles.Image img = SpatialFiles.readImage(path);
        if (img.dimension() != model.inputDimension()) {
            throw new CliException(path + " has descriptors of D = " + img.dimension() + " but the model takes "
                    + model.inputDimension() + " (" + modelPath + ")");
        }
        return img;
    }

    /**
     * Encodes every input into one row of {@code out}, in input order, on {@code threads} threads
     * (at most {@code 2 x threads} images in memory); returns the row length.
     */
    static int encode(FisherEncoder plain, PyramidLayout layout, boolean spatial, Path modelPath, List<Path> inputs,
            Path out, int threads, Context ctx) throws CliException, IOException {
        DiagonalGmm model = plain.model();
        for (Path p : inputs) {
            requireImageArchive(p, OPTIONS); // before any work: a .npy among the inputs fails at once
        }
        SpatialModel sm = spatial ? SpatialFiles.readSpatialModel(modelPath, model.components()) : null;
        SpatialEncoder encoder = SpatialEncoder.builder(plain).pyramid(layout).spatial(sm).build();
        ctx.debug("fvec encode: pyramid " + layout + " (" + layout.cells() + " cells), spatial block "
                + (spatial ? "on (" + (sm.equals(SpatialModel.uniform(model.components())) ? "uniform"
                        : "from the model") + ")" : "off") + ", vector length " + encoder.length());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "fvec-spatial-encode");
            t.setDaemon(true);
            return t;
        });
        try {
            AtomicFile.write(out, ch -> {
                NpyRowWriter writer = new NpyRowWriter(ch, encoder.length());
                int window = Math.max(1, 2 * threads);
                List<Future<float[]>> pending = new ArrayList<>();
                for (int i = 0; i < inputs.size(); i++) {
                    Path input = inputs.get(i);
                    pending.add(pool.submit(() -> {
                        SpatialFiles.Image img = readImage(input, model, modelPath);
                        try {
                            return encoder.encode(img.descriptors(), img.positions(), img.count(), img.width(),
                                    img.height());
                        } catch (IllegalArgumentException | ArithmeticException e) {
                            throw new CliException(input + ": " + e.getMessage(), e);
                        }
                    }));
                    if (pending.size() >= window || i == inputs.size() - 1) {
                        for (Future<float[]> f : pending) {
                            writer.writeRow(await(f));
                        }
                        pending.clear();
                    }
                }
                writer.finish();
            });
        } finally {
            pool.shutdownNow();
        }
        return encoder.length();
    }

    private static float[] await(Future<float[]> f) throws CliException, IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CliException) {
                throw (CliException) c;
            } else if (c instanceof IOException) {
                throw (IOException) c;
            } else if (c instanceof RuntimeException) {
                throw (RuntimeException) c;
            } else if (c instanceof Error) {
                throw (Error) c;
            }
            throw new IllegalStateException(c);
        }
    }

    /** The images of {@code fvec train --spatial}, read once: descriptors stacked for EM, kept for the spatial pass. */
    static final class TrainingImages {
        final List<SpatialFiles.Image> images = new ArrayList<>();
        float[] stacked;
        int rows;
        int dimension;
    }

    /** Reads every training image; all must have the same {@code D}. */
    static TrainingImages readTraining(List<Path> inputs) throws CliException, IOException {
        TrainingImages t = new TrainingImages();
        long rows = 0;
        for (Path p : inputs) {
            requireImageArchive(p, "--spatial");
            SpatialFiles.Image img = SpatialFiles.readImage(p);
            if (!t.images.isEmpty() && img.dimension() != t.dimension) {
                throw new CliException(p + " has descriptors of D = " + img.dimension() + " but " + inputs.get(0)
                        + " has D = " + t.dimension + ": every input needs the same D");
            }
            t.dimension = img.dimension();
            t.images.add(img);
            rows += img.count();
        }
        if (rows * t.dimension > Integer.MAX_VALUE - 8) {
            throw new CliException("the inputs hold " + rows + " descriptors of D = " + t.dimension
                    + ", too many to hold in one array");
        }
        t.rows = (int) rows;
        t.stacked = new float[(int) (rows * t.dimension)];
        int at = 0;
        for (SpatialFiles.Image img : t.images) {
            for (int i = 0; i < img.count() * img.dimension(); i++) {
                if (!Float.isFinite(img.descriptors()[i])) {
                    throw new CliException(img.source() + ": descriptor " + i / img.dimension() + ", dimension "
                            + i % img.dimension() + " is " + img.descriptors()[i]
                            + "; every descriptor value must be finite");
                }
            }
            System.arraycopy(img.descriptors(), 0, t.stacked, at, img.count() * img.dimension());
            at += img.count() * img.dimension();
        }
        return t;
    }

    /** The spatial pass after EM (SPEC.md): {@code m_k}, {@code S_k} from every image's positions. */
    static SpatialModel fitSpatial(DiagonalGmm model, TrainingImages t, Context ctx) {
        SpatialFit fit = new SpatialFit(model, ctx.kernel());
        for (SpatialFiles.Image img : t.images) {
            fit.add(img.descriptors(), img.positions(), img.count(), img.width(), img.height());
        }
        return fit.result();
    }

    /** Writes a model with its spatial Gaussians, atomically. */
    static void writeModel(Path out, DiagonalGmm model, SpatialModel spatial) throws IOException {
        SpatialFiles.writeModel(out, model, spatial);
    }
}
