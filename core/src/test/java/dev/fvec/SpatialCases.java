package dev.fvec;

import dev.fvec.io.Npz;
import dev.fvec.io.SpatialFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The float64 spatial-layout fixtures under {@code golden/spatial/<case>/} (made by
 * {@code make_spatial_fixtures.py}, a NumPy transcription of SPEC.md): {@code model.npz} (with
 * spatial Gaussians), {@code image.npz} and
 * {@code expected_<form>_<none|improved>_<layout>_<plain|spatial|uniform>.npy}. Shared with the simd
 * module through the core test jar.
 */
public final class SpatialCases {

    public static final String[] CASES = {"tiny_K3_D5_N40", "mid_K16_D24_N600"};
    static final String[] LAYOUTS = {"1x1", "1x1,2x2,3x1", "2x3,1x2"};

    private SpatialCases() {
    }

    /** One expected vector. */
    public static final class Variant {
        public final String caseName;
        public final FisherForm form;
        public final boolean improved;
        public final String layout;
        public final String spatial; // plain, spatial, uniform
        public final boolean hard;

        Variant(String caseName, FisherForm form, boolean improved, String layout, String spatial, boolean hard) {
            this.caseName = caseName;
            this.form = form;
            this.improved = improved;
            this.layout = layout;
            this.spatial = spatial;
            this.hard = hard;
        }

        public String fileName() {
            return "expected_" + form.name().toLowerCase() + "_" + (improved ? "improved" : "none") + "_"
                    + layout.replace(',', '+') + "_" + spatial + (hard ? "_hard" : "") + ".npy";
        }

        public double[] expected() {
            return GoldenCases.readDoubles("spatial/" + caseName + "/" + fileName());
        }

        /** The encoder of this variant on {@code kernel}. */
        public SpatialEncoder encoder(dev.fvec.spi.KernelProvider kernel) {
            DiagonalGmm model = model(caseName);
            FisherEncoder.Builder b = FisherEncoder.builder(model).form(form).kernel(kernel);
            if (improved) {
                b.improved();
            }
            if (hard) {
                b.sparsity(Sparsity.hard());
            }
            SpatialModel sm = spatial.equals("plain") ? null
                    : spatial.equals("uniform") ? SpatialModel.uniform(model.components()) : spatialModel(caseName);
            return SpatialEncoder.builder(b.build()).pyramid(layout).spatial(sm).build();
        }

        @Override
        public String toString() {
            return caseName + "/" + fileName();
        }
    }

    public static List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (String c : CASES) {
            for (FisherForm f : FisherForm.values()) {
                for (boolean improved : new boolean[] {false, true}) {
                    for (String layout : LAYOUTS) {
                        for (String sp : new String[] {"plain", "spatial", "uniform"}) {
                            if (sp.equals("uniform") && !layout.equals("1x1,2x2,3x1")) {
                                continue;
                            }
                            out.add(new Variant(c, f, improved, layout, sp, false));
                        }
                    }
                }
            }
            out.add(new Variant(c, FisherForm.VLFEAT, true, "1x1,2x2,3x1", "spatial", true));
        }
        return out;
    }

    public static DiagonalGmm model(String caseName) {
        try {
            return Npz.readModel(GoldenCases.path("spatial/" + caseName + "/model.npz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SpatialModel spatialModel(String caseName) {
        try {
            return SpatialFiles.readSpatialModel(GoldenCases.path("spatial/" + caseName + "/model.npz"),
                    model(caseName).components());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SpatialFiles.Image image(String caseName) {
        try {
            return SpatialFiles.readImage(GoldenCases.path("spatial/" + caseName + "/image.npz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ||got - expected|| / ||expected||}. */
    public static double relativeL2(double[] expected, float[] got) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = got[i] - expected[i];
            num += diff * diff;
            den += expected[i] * expected[i];
        }
        return Math.sqrt(num / Math.max(den, 1e-300));
    }
}
