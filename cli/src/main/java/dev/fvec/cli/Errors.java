package dev.fvec.cli;

import dev.fvec.io.NpyFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The error contract: every failure is one line on stderr, {@code fvec: <message>}, naming the
 * option, value or file at fault; exit 2 for bad usage or input, 1 for a failed self-check or an
 * internal error; the stack trace only with {@code --verbose}. picocli's own messages are reworded
 * here so they read like the tool's (e.g. {@code --power: expected a number in (0, 1], got 2}).
 */
final class Errors {

    private Errors() {
    }

    /** A command line picocli could not parse. {@code --help} anywhere still shows that command's help. */
    static int usage(ParameterException e, String[] args, PrintStream err) {
        CommandLine where = e.getCommandLine();
        for (String a : args) {
            if (a.equals("--")) {
                break;
            }
            if (a.equals("--help") || a.equals("-h")) {
                where.usage(where.getOut());
                return 0;
            }
        }
        err.println("fvec: " + reword(e));
        return CliException.USAGE;
    }

    private static String reword(ParameterException e) {
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        // picocli checks required options before it reports unknown ones; a typo is the likelier cause.
        List<String> unknown = e.getCommandLine().getUnmatchedArguments();
        if (e instanceof UnmatchedArgumentException || e instanceof MissingParameterException && !unknown.isEmpty()) {
            List<String> unmatched = e instanceof UnmatchedArgumentException
                    ? ((UnmatchedArgumentException) e).getUnmatched() : unknown;
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (!first.startsWith("-") && e.getCommandLine().getParent() == null) {
                return "unknown command '" + first + "': expected train, encode or demo (see 'fvec --help')";
            }
            if (first.startsWith("-")) {
                int eq = first.indexOf('=');
                return "unknown option " + (eq > 0 ? first.substring(0, eq) : first) + " for '" + command
                        + "' (see '" + command + " --help')";
            }
            return "unexpected argument '" + first + "' for '" + command + "' (see '" + command + " --help')";
        }
        if (e instanceof OverwrittenOptionException) {
            return name(((OverwrittenOptionException) e).getOverwritten()) + " is given more than once";
        }
        if (e instanceof MissingParameterException) {
            List<ArgSpec> missing = ((MissingParameterException) e).getMissing();
            ArgSpec first = missing.isEmpty() ? null : missing.get(0);
            if (first instanceof OptionSpec && e.getMessage().startsWith("Missing required parameter")) {
                OptionSpec o = (OptionSpec) first;
                return o.longestName() + " needs a value: " + o.longestName() + " " + o.paramLabel();
            }
            if (first != null) {
                return "missing " + name(first) + " (see '" + command + " --help')";
            }
        }
        ArgSpec spec = e.getArgSpec();
        if (spec instanceof OptionSpec && e.getCause() instanceof TypeConversionException) {
            OptionSpec o = (OptionSpec) spec;
            if (o.arity().max() == 0) {
                return o.longestName() + " takes no value, got '" + o.longestName() + "=" + e.getValue() + "'";
            }
            return o.longestName() + ": " + e.getCause().getMessage();
        }
        String m = e.getMessage();
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    private static String name(ArgSpec spec) {
        return spec instanceof OptionSpec ? ((OptionSpec) spec).longestName() : spec.paramLabel();
    }

    /** An exception thrown by a command: its message, and the exit status it calls for. */
    static int failed(Exception e, boolean verbose, PrintStream err) {
        if (e instanceof CliException) {
            return fail(err, e.getMessage(), e, verbose, ((CliException) e).exitCode());
        } else if (e instanceof NoSuchFileException) {
            return fail(err, ((NoSuchFileException) e).getFile() + ": no such file", e, verbose, CliException.USAGE);
        } else if (e instanceof AccessDeniedException) {
            return fail(err, ((AccessDeniedException) e).getFile() + ": permission denied", e, verbose,
                    CliException.USAGE);
        } else if (e instanceof IOException) {
            // dev.fvec.io's exceptions (NpyFormatException among them) name the file.
            String message = e.getMessage() != null ? e.getMessage() : e.toString();
            if (e instanceof NpyFormatException && message.contains("not a .npy file")) { // a CSV, say
                message += " (descriptor files are NumPy .npy arrays; in Python, np.save('x.npy',"
                        + " np.asarray(a, dtype=np.float32)) makes one)";
            }
            return fail(err, message, e, verbose, CliException.USAGE);
        } else if (e instanceof ParameterException) { // thrown by a command after parsing, e.g. picocli's help topic
            return fail(err, reword((ParameterException) e), e, verbose, CliException.USAGE);
        }
        return fail(err, "internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"), e,
                verbose, CliException.CHECK_FAILED);
    }

    /** The JVM ran out of heap: say how to give it more. */
    static int outOfMemory(OutOfMemoryError e, boolean verbose, PrintStream err) {
        return fail(err, "out of memory; give Java a larger heap, e.g. FVEC_JAVA_OPTS=-Xmx8g ./fvec ...", e,
                verbose, CliException.USAGE);
    }

    private static int fail(PrintStream err, String message, Throwable e, boolean verbose, int status) {
        err.println("fvec: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        return status;
    }
}
