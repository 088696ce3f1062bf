package dev.fvec.cli;

import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.TypeConversionException;

/**
 * A plain {@code encode} or {@code train} command line, parsed without picocli: picocli builds
 * its command model by reflection before it parses anything, the longest step of a short run's
 * start (measured on JDK 17, 2-core Zen 5: about 50-100 ms of the main thread's CPU in a one-file
 * encode, depending on load). Only command lines whose meaning is beyond doubt are taken here: the
 * long options of the command (as {@code --name value} or {@code --name=value}), {@code -q},
 * {@code --quiet}, {@code -v}, {@code --verbose}, {@code --kernel} before or after the command,
 * and input paths. Everything else (help, {@code @argfile}s, {@code --}, clustered short options,
 * an option given twice, a missing required option, a value that starts with {@code -} or
 * {@code @}, a value its converter rejects, any {@code picocli.*} system property) is left to
 * picocli, which then parses the whole line as before and reports any error in its usual words.
 * The values go through the same converters into the same fields, so a command runs the same
 * either way (DirectParseTest compares the fields picocli sets with these on many lines).
 */
final class DirectParse {

    /** {@code -Dfvec.directParse=false}: every line through picocli (to measure what this saves). */
    static final String PROPERTY = "fvec.directParse";

    /** What a line parsed to: the root's common options and the command, ready to run. */
    static final class Parsed {
        final CommonOptions root;
        final CommandBase command;

        Parsed(CommonOptions root, CommandBase command) {
            this.root = root;
            this.command = command;
        }

        /** Whether {@code --verbose} was given, before or after the command name. */
        boolean verbose() {
            return root.verbose || command.common.verbose;
        }
    }

    private DirectParse() {
    }

    /** The parsed command line, or {@code null} when picocli must parse it. */
    static Parsed parse(String[] args, Main.Streams streams) {
        if (System.getProperty(PROPERTY, "true").equals("false") || picocliConfigured()) {
            return null;
        }
        CommonOptions root = new CommonOptions();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (; i < args.length && args[i].startsWith("-"); i++) {
            int next = common(root, args, i, seen);
            if (next < 0) {
                return null;
            }
            i = next;
        }
        if (i == args.length) {
            return null;
        }
        CommandBase command;
        if (args[i].equals("encode")) {
            command = new EncodeCommand(root, streams);
        } else if (args[i].equals("train")) {
            command = new TrainCommand(root, streams);
        } else {
            return null;
        }
        seen.clear();
        InputList inputs = command instanceof EncodeCommand ? ((EncodeCommand) command).inputs
                : ((TrainCommand) command).inputs;
        try {
            for (i++; i < args.length; i++) {
                String a = args[i];
                if (a.isEmpty() || a.startsWith("@")) {
                    return null;
                }
                if (!a.startsWith("-")) {
                    inputs.arguments.add(a);
                    continue;
                }
                int next = common(command.common, args, i, seen);
                if (next == UNKNOWN) {
                    next = command instanceof EncodeCommand ? encodeOption((EncodeCommand) command, args, i, seen)
                            : trainOption((TrainCommand) command, args, i, seen);
                }
                if (next < 0) {
                    return null;
                }
                i = next;
            }
        } catch (TypeConversionException e) {
            return null; // picocli reports it, with the option's name
        }
        if (command instanceof EncodeCommand) {
            EncodeCommand e = (EncodeCommand) command;
            if (e.model == null || e.out == null) {
                return null;
            }
        } else if (!seen.contains("--components") || ((TrainCommand) command).out == null) {
            return null;
        }
        return new Parsed(root, command);
    }

    /** Any {@code picocli.*} property (tracing, quote trimming, ...) changes how picocli parses. */
    private static boolean picocliConfigured() {
        for (Object key : System.getProperties().keySet()) {
            if (key instanceof String && ((String) key).startsWith("picocli.")) {
                return true;
            }
        }
        return false;
    }

    /** The option is not one of this parser's. */
    private static final int UNKNOWN = -2;
    /** picocli must parse the line. */
    private static final int DECLINE = -1;

    /**
     * A common option at {@code args[i]} into {@code o}: the index of its last argument,
     * {@link #UNKNOWN} for another option, {@link #DECLINE} when picocli must parse the line.
     */
    private static int common(CommonOptions o, String[] args, int i, Set<String> seen) {
        String a = args[i];
        switch (a) {
            case "-q":
            case "--quiet":
                o.quiet = true;
                return once("--quiet", seen) ? i : DECLINE;
            case "-v":
            case "--verbose":
                o.verbose = true;
                return once("--verbose", seen) ? i : DECLINE;
            default:
                if (!name(a).equals("--kernel")) {
                    return UNKNOWN;
                }
                String v = value(args, i);
                if (v == null || !once("--kernel", seen)) {
                    return DECLINE;
                }
                o.kernel = new Converters.KernelName().convert(v);
                return end(args, i);
        }
    }

    /** An {@code encode} option at {@code args[i]}: as {@link #common}, but never {@link #UNKNOWN}. */
    private static int encodeOption(EncodeCommand c, String[] args, int i, Set<String> seen) {
        String a = args[i];
        String name = name(a);
        if (!once(name, seen)) {
            return DECLINE;
        }
        switch (a) { // flags: never with "=value"
            case "--improved":
                c.improved = true;
                return i;
            case "--l2":
                c.l2 = true;
                return i;
            case "--hard":
                c.hard = true;
                return i;
            case "--spatial":
                c.spatial = true;
                return i;
            default:
                break;
        }
        String v = value(args, i);
        if (v == null) {
            return DECLINE;
        }
        switch (name) {
            case "--model":
                c.model = v;
                break;
            case "--out":
                c.out = v;
                break;
            case "--form":
                c.form = new Converters.Form().convert(v);
                break;
            case "--power":
                c.power = new Converters.Exponent().convert(v);
                break;
            case "--threshold":
                c.threshold = new Converters.Fraction().convert(v);
                break;
            case "--threads":
                c.threads = new Converters.Threads().convert(v);
                break;
            case "--pyramid":
                c.pyramid = v;
                break;
            case "--inputs-from":
                c.inputs.inputsFrom = v;
                break;
            default:
                return DECLINE;
        }
        return end(args, i);
    }

    /** A {@code train} option at {@code args[i]}: as {@link #encodeOption}. */
    private static int trainOption(TrainCommand c, String[] args, int i, Set<String> seen) {
        String a = args[i];
        String name = name(a);
        if (!once(name, seen)) {
            return DECLINE;
        }
        switch (a) {
            case "--spatial":
                c.spatial = true;
                return i;
            case "--whiten":
                c.whiten = true;
                return i;
            default:
                break;
        }
        String v = value(args, i);
        if (v == null) {
            return DECLINE;
        }
        switch (name) {
            case "--components":
                c.components = new Converters.Positive().convert(v);
                break;
            case "--out":
                c.out = v;
                break;
            case "--iterations":
                c.iterations = new Converters.Positive().convert(v);
                break;
            case "--tolerance":
                c.tolerance = new Converters.NonNegative().convert(v);
                break;
            case "--seed":
                c.seed = new Converters.AnyLong().convert(v);
                break;
            case "--variance-floor":
                c.varianceFloor = new Converters.PositiveFloat().convert(v);
                break;
            case "--init":
                c.init = new Converters.Init().convert(v);
                break;
            case "--threads":
                c.threads = new Converters.Threads().convert(v);
                break;
            case "--pca":
                c.pca = new Converters.Positive().convert(v);
                break;
            case "--inputs-from":
                c.inputs.inputsFrom = v;
                break;
            default:
                return DECLINE;
        }
        return end(args, i);
    }

    private static boolean once(String name, Set<String> seen) {
        return seen.add(name);
    }

    /** The option's name: up to an {@code =} in a long option. */
    private static String name(String arg) {
        int eq = arg.indexOf('=');
        return arg.startsWith("--") && eq > 2 ? arg.substring(0, eq) : arg;
    }

    /**
     * The value of the option at {@code args[i]}: after its {@code =}, else the next argument; null
     * when there is none, or it is empty or starts with {@code -} (except {@code -} alone, stdin)
     * or {@code @} (picocli decides what those mean).
     */
    private static String value(String[] args, int i) {
        String a = args[i];
        int eq = a.indexOf('=');
        String v = a.startsWith("--") && eq > 2 ? a.substring(eq + 1) : i + 1 < args.length ? args[i + 1] : null;
        if (v == null || v.isEmpty() || v.startsWith("@") || v.startsWith("-") && !v.equals("-")) {
            return null;
        }
        return v;
    }

    /** The index of the last argument of the option at {@code args[i]} (its value's, without {@code =}). */
    private static int end(String[] args, int i) {
        String a = args[i];
        return a.startsWith("--") && a.indexOf('=') > 2 ? i : i + 1;
    }
}
