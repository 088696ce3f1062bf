package dev.fvec.simd;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A HotSpot compiler directive held for the warm-up's duration ({@link VectorWarmUp#run}): the
 * Vector API's own methods ({@code jdk.incubator.vector.*}, {@code jdk.internal.vm.vector.*}) are
 * not compiled by C2 on their own, only inlined into the methods that call them.
 *
 * <h2>Why</h2>
 * The warm-up runs the vector lanes uncompiled until C2 has compiled them. Uncompiled, every vector
 * operation runs the Vector API's Java fallback: a loop over the lanes through a lambda, so those
 * methods are invoked once per lane of every operation and reach C2's thresholds long before the
 * lanes' own methods do. C2 then compiled about 100 of them first (0.3 s of its CPU in the
 * warm-up, and their queue delayed the lanes' compiles while the warm-up kept running uncompiled
 * rounds), code that nothing uses once the lanes are compiled: compiled lanes have the operations
 * inlined as intrinsics. Measured on the 2-core Zen 5 (JDK 17, {@code E2eFirstCalls}, 3 alternated
 * pairs, load 3-5, the directive given by {@code -XX:CompilerDirectivesFile}): the warm-up's
 * process CPU time 1.12-1.26 s against 1.63-1.90 s, steady state unchanged.
 *
 * <h2>How, and what it leaves behind</h2>
 * Through the DiagnosticCommand MBean's {@code compilerDirectivesAdd} (what {@code jcmd PID
 * Compiler.directives_add FILE} does), with a temporary file holding the directive; removed again
 * after the warm-up ({@link #remove}: {@code compilerDirectivesRemove}), unless another directive was added on top of
 * it meanwhile (then it stays: removing the top one would remove that one). HotSpot marks a method
 * it declines to compile because of the directive as not compilable by C2 for the rest of the JVM's
 * life: those Vector API methods (the ones that got hot in the uncompiled rounds, mostly fallbacks)
 * then run C1 code where they are called without being inlined; C2 still inlines them into its
 * compiles of their callers (inlining does not look at that mark). Where any of this is missing (no
 * {@code jdk.management}, another JVM, a security manager) nothing is done.
 * {@code -Dfvec.simd.warmup.directives=false} turns it off.
 */
final class WarmUpDirectives {

    /** Matched by the directive; also how {@link #remove} recognises its own directive on top of the stack. */
    private static final String[] MATCH = {"jdk/incubator/vector/*.*", "jdk/internal/vm/vector/*.*"};
    private static final String DIRECTIVE = "[{match: [\"" + MATCH[0] + "\", \"" + MATCH[1] + "\"], c2: {Exclude: true}}]";
    private final DiagnosticCommands commands;

    private WarmUpDirectives(DiagnosticCommands commands) {
        this.commands = commands;
    }

    /** Adds the directive; returns what removes it, or {@code null} when it could not be added. */
    static WarmUpDirectives add() {
        if (!Boolean.parseBoolean(System.getProperty("fvec.simd.warmup.directives", "true"))) {
            return null;
        }
        DiagnosticCommands commands = DiagnosticCommands.open();
        if (commands == null) {
            return null;
        }
        Path file = null;
        try {
            file = Files.createTempFile("fvec-warm-up", ".json");
            Files.write(file, DIRECTIVE.getBytes(StandardCharsets.US_ASCII));
            String said = commands.run("compilerDirectivesAdd", file.toString());
            // "1 compiler directives added" when it took; a parse error or a full stack says otherwise.
            return said != null && said.startsWith("1 ") ? new WarmUpDirectives(commands) : null;
        } catch (Exception | LinkageError e) {
            return null;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception e) {
                    // a temporary file left behind; nothing else depends on it
                }
            }
        }
    }

    /** Removes the directive when it is still the top of the stack; true when it did. */
    boolean remove() {
        String printed = commands.run("compilerDirectivesPrint");
        if (printed == null) {
            return false; // left in place: it only keeps C2 from compiling Vector API methods on their own
        }
        String top = printed.trim();
        // The first directive printed is the top of the stack: "Directive:\n matching: <patterns>".
        int at = top.indexOf("matching:");
        int end = top.indexOf('\n', at);
        String[] patterns = at >= 0 && end > at ? top.substring(at + 9, end).trim().split(", ") : new String[0];
        java.util.Arrays.sort(patterns); // HotSpot prints them in its own order
        return java.util.Arrays.equals(patterns, MATCH) && commands.run("compilerDirectivesRemove") != null;
    }
}
