package dev.fvec.simd;

import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * HotSpot's diagnostic commands (what {@code jcmd PID <command>} runs) through the platform MBean
 * server's DiagnosticCommand MBean: the warm-up's compiler directive ({@link WarmUpDirectives}) and
 * its look at the code cache and the compile queues ({@link CompiledMethods}). Getting the platform
 * MBean server starts it in a JVM that has none yet (about 0.1 s of CPU, once).
 */
final class DiagnosticCommands {

    private static final String[] SIGNATURE = {String[].class.getName()};

    private final MBeanServer server;
    private final ObjectName name;

    private DiagnosticCommands(MBeanServer server, ObjectName name) {
        this.server = server;
        this.name = name;
    }

    /** The MBean, or {@code null} where this JVM has none ({@code jdk.management} absent, another JVM). */
    static DiagnosticCommands open() {
        try {
            return new DiagnosticCommands(ManagementFactory.getPlatformMBeanServer(),
                    new ObjectName("com.sun.management:type=DiagnosticCommand"));
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /**
     * What the command ({@code operation}, the MBean's name for it, e.g. {@code compilerCodelist})
     * printed, or {@code null} when it could not run.
     */
    String run(String operation, String... args) {
        try {
            return String.valueOf(server.invoke(name, operation, new Object[] {args}, SIGNATURE));
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
