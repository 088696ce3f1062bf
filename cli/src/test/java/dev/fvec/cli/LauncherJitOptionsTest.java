package dev.fvec.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The launcher ({@code ./fvec}) names methods in per-method JIT options
 * ({@code -XX:CompileCommand=CompileThresholdScaling,...}); the JVM ignores an option whose method
 * does not exist (quietly, with {@code CompileCommand=quiet}), so a renamed method would lose its
 * option without a word. This checks that every method the launcher names is still declared.
 */
class LauncherJitOptionsTest {

    /** {@code class::method} in the launcher's per-method options and loops over them. */
    private static final Pattern METHOD = Pattern.compile("(dev\\.fvec\\.[A-Za-z0-9_.]+)::([A-Za-z0-9_$]+)");

    @Test
    void everyMethodTheLauncherNamesExists() throws IOException, ClassNotFoundException {
        Path launcher = Path.of("..", "fvec");
        assertTrue(Files.isRegularFile(launcher), "the launcher is not at " + launcher.toAbsolutePath());
        List<String> named = new ArrayList<>();
        for (String line : Files.readAllLines(launcher)) {
            if (line.stripLeading().startsWith("#")) {
                continue; // comments may name methods in prose
            }
            Matcher m = METHOD.matcher(line);
            while (m.find()) {
                String type = m.group(1);
                String method = m.group(2);
                Class<?> c = Class.forName(type, false, getClass().getClassLoader());
                boolean declared = Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals);
                assertTrue(declared, "the launcher names " + type + "::" + method + ", which " + type
                        + " does not declare (renamed? update the launcher's JIT options)");
                named.add(type + "::" + method);
            }
        }
        assertFalse(named.isEmpty(), "no per-method JIT option found in the launcher; update this test if they went");
        assertTrue(named.contains("dev.fvec.simd.SimdKernel::block"), named.toString());
    }
}
