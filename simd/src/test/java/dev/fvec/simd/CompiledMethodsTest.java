package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's stop test reads HotSpot's code list: which of its methods still run C1 code with
 * profiling, with C2's on-stack-replacement code (which the list does not tell apart) given
 * {@value CompiledMethods#GRACE_POLLS} polls.
 */
class CompiledMethodsTest {

    private static final String A = "p.A.run";
    private static final String B = "p.B.loop";

    private static String list(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    /**
     * The warm-up waits for the methods it names, and a name HotSpot's list does not hold counts as
     * compiled: a method renamed or moved would silently stop being waited for.
     */
    @Test
    void theWarmUpWatchesMethodsThatExist() throws ClassNotFoundException {
        for (String name : VectorWarmUp.ENCODE_PATH) {
            int dot = name.lastIndexOf('.');
            Class<?> owner = Class.forName(name.substring(0, dot));
            String method = name.substring(dot + 1);
            boolean found = java.util.Arrays.stream(owner.getDeclaredMethods()).anyMatch(m -> m.getName().equals(method));
            assertTrue(found, name + ": no such method; update VectorWarmUp.ENCODE_PATH");
        }
    }

    @Test
    void c1CodeIsPendingC2CodeAloneIsNotAndAbsentMethodsAreNot() {
        CompiledMethods m = CompiledMethods.forLists(A, B, "p.C.absent");
        String l = list("10 3 0 p.A.run([FI)V [0x1, 0x2 - 0x3]", "11 4 0 p.B.loop(I)V [0x1, 0x2 - 0x3]",
                "12 3 0 p.A.runner()V [0x1, 0x2 - 0x3]");
        assertEquals(A, m.pending(l));
    }

    @Test
    void codeThatIsNotLiveDoesNotCount() {
        CompiledMethods m = CompiledMethods.forLists(A);
        assertEquals("", m.pending(list("10 3 2 p.A.run([FI)V [0x1, 0x2 - 0x3]", "11 4 0 p.A.run([FI)V [0x4, 0x5 - 0x6]")));
    }

    @Test
    void c2CodeBesideC1CodeCountsAfterTheGracePolls() {
        CompiledMethods m = CompiledMethods.forLists(A, B);
        String both = list("10 3 0 p.A.run([FI)V [0x1, 0x2 - 0x3]", "11 4 0 p.A.run([FI)V [0x4, 0x5 - 0x6]",
                "12 2 0 p.B.loop(I)V [0x1, 0x2 - 0x3]");
        for (int poll = 1; poll <= CompiledMethods.GRACE_POLLS; poll++) {
            assertEquals(A + " " + B, m.pending(both), "poll " + poll);
        }
        assertEquals(B, m.pending(both));
    }

    @Test
    void readsThisJvmsList() {
        CompiledMethods m = CompiledMethods.open("java.lang.String.hashCode", "no.such.Class.method");
        assumeTrue(m != null, "no DiagnosticCommand MBean");
        assertNotNull(m.pending());
        assertEquals("", m.pending().replace("java.lang.String.hashCode", "")); // the absent one is never pending
    }
}
