package example;

import dev.fvec.DiagonalGmm;
import dev.fvec.FisherEncoder;
import dev.fvec.FisherForm;
import dev.fvec.Kernels;
import dev.fvec.io.Npy;
import dev.fvec.io.NpyArray;
import dev.fvec.io.Npz;
import java.nio.file.Path;

/**
 * Encodes one image: {@code EncodeOne gmm.npz img.npy} prints the improved VLFeat-form Fisher
 * vector's length, its first values and the kernel that computed it. With no arguments it
 * encodes a small made-up image against a made-up model.
 */
public final class EncodeOne {

    public static void main(String[] args) throws Exception {
        if (args.length != 0 && args.length != 2) {
            System.err.println("usage: EncodeOne [GMM.npz DESCRIPTORS.npy]");
            System.exit(2);
        }
        DiagonalGmm gmm = args.length == 2
                ? Npz.readModel(Path.of(args[0]))               // immutable, validated
                : DiagonalGmm.of(new float[] {0.5f, 0.5f},      // weights (K), means (K x D), variances (K x D)
                        new float[] {0f, 0f, 10f, 10f}, new float[] {1f, 1f, 2f, 2f});
        FisherEncoder encoder = FisherEncoder.builder(gmm)
                .form(FisherForm.VLFEAT)
                .improved()
                .build();                                       // immutable, share it between threads
        Kernels.warmUp();                                       // optional: before taking traffic, after build()
        float[] fv;
        if (args.length == 2) {
            NpyArray x = Npy.read(Path.of(args[1]));            // N x D, row-major
            fv = encoder.encode(x.data(), x.rows());
        } else {
            fv = encoder.encode(new float[] {0.5f, -1f, 9f, 11f, 4f, 6f}, 3);   // N = 3, D = 2
        }
        System.out.printf("%d values, kernel %s, fv[0..3] = %.6f %.6f %.6f%n",
                fv.length, encoder.implementationName(), fv[0], fv[1], fv[2]);
    }
}
