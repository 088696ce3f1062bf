package dev.fvec;

import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.NpyHeader;
import dev.fvec.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The float64 reference cases (computed by NumPy and VLFeat) kept in test resources under
 * {@code golden/<case>/}: {@code model.npz}, {@code descriptors.npy} and
 * {@code expected_<form>[_improved]_<t0|t1e-6|hard>.npy}. Shared with the simd module through the
 * core test jar.
 */
public final class GoldenCases {

    public static final String[] CASES = {"a_D64_K256_N1000", "b_D128_K64_N2000", "d_D5_K3_N7"};

    private GoldenCases() {
    }

    /** One expected vector: a case, a form, a normalisation and a sparsity. */
    public static final class Variant {
        public final String caseName;
        public final FisherForm form;
        public final boolean improved;
        public final String sparsityName;

        Variant(String caseName, FisherForm form, boolean improved, String sparsityName) {
            this.caseName = caseName;
            this.form = form;
            this.improved = improved;
            this.sparsityName = sparsityName;
        }

        public Sparsity sparsity() {
            switch (sparsityName) {
                case "t0":
                    return Sparsity.none();
                case "t1e-6":
                    return Sparsity.threshold(1e-6);
                default:
                    return Sparsity.hard();
            }
        }

        public String fileName() {
            return "expected_" + form.name().toLowerCase() + (improved ? "_improved" : "") + "_" + sparsityName + ".npy";
        }

        public FisherEncoder.Builder configure(FisherEncoder.Builder b) {
            b.form(form).sparsity(sparsity());
            return improved ? b.improved() : b;
        }

        /** The expected vector at the precision it was stored in (float64 for every golden file). */
        public double[] expected() {
            return readDoubles(caseName + "/" + fileName());
        }

        @Override
        public String toString() {
            return caseName + "/" + fileName();
        }
    }

    /** Every (case, form, normalisation, sparsity) with an expected file. */
    public static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (String c : CASES) {
            for (FisherForm f : FisherForm.values()) {
                for (boolean improved : new boolean[] {false, true}) {
                    for (String s : new String[] {"t0", "t1e-6", "hard"}) {
                        out.add(new Variant(c, f, improved, s));
                    }
                }
            }
        }
        return out;
    }

    public static DiagonalGmm model(String caseName) {
        try {
            return Npz.readModel(path(caseName + "/model.npz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static NpyArray descriptors(String caseName) {
        return read(caseName + "/descriptors.npy");
    }

    public static NpyArray read(String relative) {
        try {
            return Npy.read(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file system path to a golden resource. Inside a jar (the simd module reads the core test
     * jar) the resource is copied to a temporary file first.
     */
    public static Path path(String relative) {
        URL url = GoldenCases.class.getResource("/golden/" + relative);
        if (url == null) {
            throw new IllegalStateException("missing test resource golden/" + relative);
        }
        try {
            if ("file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
            Path tmp = Files.createTempFile("fvec-golden-", "-" + relative.replace('/', '_'));
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("bad resource URL " + url, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A {@code .npy} file's values as doubles, without going through float: {@code '<f8'} and
     * {@code '>f8'} exactly, {@code '<f4'} and {@code '>f4'} widened.
     */
    public static double[] readDoubles(String relative) {
        Path file = path(relative);
        try {
            NpyHeader h = Npy.readHeader(file);
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer data = ByteBuffer.wrap(bytes, (int) h.dataOffset(), (int) h.dataBytes()).slice()
                    .order(h.dtype().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[h.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = h.itemSize() == 8 ? data.getDouble(8 * i) : data.getFloat(4 * i);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
