package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fvec.Kernels;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fvec on the module path: {@code dev.fvec.core} and {@code dev.fvec.simd} as named modules, the
 * SIMD provider found through {@code provides}, and without the vector module the scalar fallback
 * still loads. Runs in a child JVM, in the integration-test phase (simd's module-info is compiled
 * after the unit tests; see simd/pom.xml).
 */
class ModulePathIT {

    private static final String CHECK = String.join("\n",
            "public class Check {",
            "    public static void main(String[] args) {",
            "        Module core = dev.fvec.Kernels.class.getModule();",
            "        dev.fvec.spi.KernelProvider simd = dev.fvec.spi.KernelProvider.installed(\"simd\");",
            "        float[] v = dev.fvec.FisherEncoder.builder(dev.fvec.DiagonalGmm.of(new float[] {1},",
            "                new float[] {0}, new float[] {4})).build().encode(new float[] {1, 3}, 2);",
            "        System.out.println(\"core=\" + core.getName()",
            "                + \" internal-exported=\" + core.isExported(\"dev.fvec.internal\")",
            "                + \" simd=\" + (simd == null ? \"absent\" : simd.getClass().getModule().getName())",
            "                + \" chosen=\" + dev.fvec.Kernels.choice().provider().name()",
            "                + \" vector=\" + java.util.Arrays.toString(v));",
            "    }",
            "}",
            "");

    private static Path location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String run(Path source, Path core, Path simd, boolean vectorModule) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-p");
        cmd.add(core + File.pathSeparator + simd);
        cmd.add("--add-modules");
        cmd.add(vectorModule ? "dev.fvec.core,jdk.incubator.vector" : "dev.fvec.core");
        cmd.add(source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + out);
        return out;
    }

    @Test
    void bothModulesResolveAndTheProviderIsFoundWithAndWithoutTheVectorModule(@TempDir Path dir)
            throws Exception {
        Path core = location(Kernels.class);
        Path simd = location(SimdKernelProvider.class);
        assumeTrue(Files.exists(core.resolve("module-info.class")) || core.toString().endsWith(".jar"),
                "fvec-core's module-info.class is not built yet: " + core);
        assumeTrue(Files.exists(simd.resolve("module-info.class")) || simd.toString().endsWith(".jar"),
                "simd's module-info.class is compiled in prepare-package; run this in the integration-test phase");
        Path source = dir.resolve("Check.java");
        Files.writeString(source, CHECK);
        String expectedVector = "vector=[1.0, 0.17677669]"; // u = 1, v = 1 / (4 sqrt 2), FisherEncoderTest's case

        String with = run(source, core, simd, true);
        assertTrue(with.contains("core=dev.fvec.core internal-exported=false simd=dev.fvec.simd chosen=simd "
                + expectedVector), with);

        String without = run(source, core, simd, false);
        assertTrue(without.contains("core=dev.fvec.core internal-exported=false simd=dev.fvec.simd chosen=scalar "
                + expectedVector), without);
        assertTrue(without.contains("--add-modules jdk.incubator.vector"), "the fallback says what is missing: " + without);
    }
}
