package dev.fvec.simd;

/**
 * Which of a few methods HotSpot's C2 has compiled (the warm-up's stop test, {@link VectorWarmUp}),
 * read from the code cache's list of compiled methods through the DiagnosticCommand MBean's
 * {@code compilerCodelist} (what {@code jcmd PID Compiler.codelist} prints), and whether the
 * compile queue is empty ({@code compilerQueue}).
 *
 * <h2>Why</h2>
 * The warm-up's second phase used to stop after a few rounds once the JIT looked idle, but an idle
 * JIT only says that nothing is queued, not that the methods of the encode path have reached C2's
 * thresholds: on a busy machine it returned while {@code SimdKernel.accumulate}, {@code block},
 * {@code KeptTerms.flushAll}, {@code Normalisation.finish} and {@code FisherForm.fisherNormalised}
 * were still in C1 code, and C2 compiled them during the first real calls (PrintCompilation), which
 * took 10-14x the steady state.
 *
 * <h2>What counts as compiled</h2>
 * The list does not tell a method's standard code from its on-stack-replacement (OSR) code, which
 * only serves a loop entered in slower code. A method counts as compiled when the list holds live
 * C2 (level 4) code for it and no live C1 code with profiling (levels 2 and 3), or C2 code for
 * {@value #GRACE_POLLS} polls (9 warm-up rounds or more) whatever else it holds: HotSpot makes a method's
 * standard C1 code not entrant once its standard C2 code is installed, but a C1 OSR compile of a
 * loop stays live beside it when no C2 OSR compile of that loop replaced it
 * ({@code Normalisation.finish} kept two for good), and C2 OSR code can come before the standard
 * C2 code (it did, 70-330 ms before, for {@code finish} and {@code fisherNormalised}). A method the
 * list does not name at all counts as compiled (renamed, or not on this path: nothing to wait
 * for); so does one with level-1 code only (trivial, C1 for good). Where the MBean or the command is
 * missing, {@link #open} returns {@code null} and the warm-up falls back to its idle-JIT test.
 * Not thread-safe; used by the warm-up's thread only.
 */
final class CompiledMethods {

    private final DiagnosticCommands commands;
    private final String[] methods; // "dev.fvec.simd.SimdKernel.accumulate(" : HotSpot's name and '('
    private final int[] firstC2; // the poll that first saw C2 code for the method, 0: none yet
    private int polls;
    /** Polls (every 3 warm-up rounds or more) a method with C2 code and C1 code beside it still counts as pending. */
    static final int GRACE_POLLS = 3;

    /** For tests: watches {@code methods} in lists given to {@link #pending(String)}. */
    static CompiledMethods forLists(String... methods) {
        return new CompiledMethods(null, methods);
    }

    private CompiledMethods(DiagnosticCommands commands, String[] methods) {
        this.commands = commands;
        this.methods = new String[methods.length];
        for (int i = 0; i < methods.length; i++) {
            this.methods[i] = methods[i] + "(";
        }
        this.firstC2 = new int[methods.length];
    }

    /**
     * Watches {@code methods}, each "fully.qualified.Class.method"; {@code null} when the code list
     * cannot be read in this JVM.
     */
    static CompiledMethods open(String... methods) {
        DiagnosticCommands commands = DiagnosticCommands.open();
        if (commands == null) {
            return null;
        }
        CompiledMethods c = new CompiledMethods(commands, methods);
        return c.codelist() == null ? null : c;
    }

    private String codelist() {
        return commands.run("compilerCodelist");
    }

    /**
     * The watched methods that are not compiled yet (see the class comment), space-separated, or
     * {@code ""} when all are; {@code null} when the list could not be read.
     */
    String pending() {
        String list = codelist();
        return list == null ? null : pending(list);
    }

    /** {@link #pending()} on a code list as {@code compilerCodelist} prints it (one more poll). */
    String pending(String list) {
        polls++;
        boolean[] c1 = new boolean[methods.length];
        boolean[] c2 = new boolean[methods.length];
        // Lines: "compile_id level state name(signature) [addresses]"; state 0 is live (in use).
        // indexOf per method rather than a loop over the lines: the list is long (~1500 lines) and
        // a loop of our own would be one more method for the JIT to compile.
        for (int i = 0; i < methods.length; i++) {
            for (int at = list.indexOf(methods[i]); at >= 0; at = list.indexOf(methods[i], at + 1)) {
                int line = list.lastIndexOf('\n', at) + 1;
                int s1 = list.indexOf(' ', line);
                if (s1 < 0 || s1 + 4 >= at || list.charAt(s1 + 2) != ' ' || list.charAt(s1 + 3) != '0') {
                    continue;
                }
                char level = list.charAt(s1 + 1);
                c1[i] |= level == '2' || level == '3';
                c2[i] |= level == '4';
            }
        }
        StringBuilder pending = new StringBuilder();
        for (int i = 0; i < methods.length; i++) {
            if (c2[i] && firstC2[i] == 0) {
                firstC2[i] = polls;
            }
            if (c1[i] && (!c2[i] || polls - firstC2[i] < GRACE_POLLS)) {
                pending.append(pending.length() == 0 ? "" : " ").append(methods[i], 0, methods[i].length() - 1);
            }
        }
        return pending.toString();
    }

    /** Whether the JIT's compile queues are empty (nothing waiting; a compile may still be running). */
    boolean queueEmpty() {
        String q = commands.run("compilerQueue");
        if (q == null) {
            return false;
        }
        // "Current compiles: ...\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n"
        int c1 = q.indexOf("C1 compile queue:");
        int c2 = q.indexOf("C2 compile queue:");
        return c1 >= 0 && c2 >= 0 && q.startsWith("Empty", q.indexOf('\n', c2) + 1)
                && q.startsWith("Empty", q.indexOf('\n', c1) + 1);
    }
}
