package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's compiler directive goes on top of HotSpot's directive stack and comes off again,
 * but never takes another directive with it: one added on top of it meanwhile stays, and so does
 * the warm-up's (the stack's order is all {@code compilerDirectivesRemove} goes by).
 */
class WarmUpDirectivesTest {

    private static final String[] STRINGS = {String[].class.getName()};

    private static String print(MBeanServer server, ObjectName name) throws Exception {
        return String.valueOf(server.invoke(name, "compilerDirectivesPrint", new Object[] {new String[0]}, STRINGS));
    }

    private static int count(String printed, String what) {
        int n = 0;
        for (int at = printed.indexOf(what); at >= 0; at = printed.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void addedOnTopAndRemovedOnlyWhenStillOnTop() throws Exception {
        synchronized (VectorWarmUp.LOCK) { // no warm-up adds or removes its directive meanwhile
            check();
        }
    }

    private static void check() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
        assumeTrue(server.isRegistered(name), "no DiagnosticCommand MBean in this JVM");
        String before = print(server, name);
        assumeTrue(before.contains("matching:"), "this JVM does not print its compiler directives");
        int vectorBefore = count(before, "jdk/incubator/vector/*.*");

        WarmUpDirectives ours = WarmUpDirectives.add();
        assertNotNull(ours, "the directive was not added");
        String during = print(server, name);
        assertEquals(vectorBefore + 1, count(during, "jdk/incubator/vector/*.*"), during);
        assertTrue(during.indexOf("jdk/incubator/vector/*.*") < during.indexOf("(default)"), "not above the default");
        assertTrue(ours.remove(), "its own directive, on top, was not removed");
        assertEquals(vectorBefore, count(print(server, name), "jdk/incubator/vector/*.*"));

        // Another directive on top of it: neither is removed.
        WarmUpDirectives again = WarmUpDirectives.add();
        assertNotNull(again);
        Path other = Files.createTempFile("fvec-test-directive", ".json");
        try {
            Files.writeString(other, "[{match: \"dev/fvec/simd/WarmUpDirectivesTest.*\", c2: {Exclude: true}}]");
            server.invoke(name, "compilerDirectivesAdd", new Object[] {new String[] {other.toString()}}, STRINGS);
            assertFalse(again.remove(), "removed while another directive was on top");
            String after = print(server, name);
            assertEquals(1, count(after, "dev/fvec/simd/WarmUpDirectivesTest.*"), after);
            assertEquals(vectorBefore + 1, count(after, "jdk/incubator/vector/*.*"), after);
        } finally {
            server.invoke(name, "compilerDirectivesRemove", new Object[] {new String[0]}, STRINGS); // the other
            again.remove();
            Files.deleteIfExists(other);
        }
        assertEquals(vectorBefore, count(print(server, name), "jdk/incubator/vector/*.*"));
    }
}
