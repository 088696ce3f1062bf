package dev.fvec.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code fvec} command: {@code train}, {@code encode}, {@code demo}.
 *
 * <p>Exit status: 0 on success; 2 for bad usage or bad input (an unknown option, a missing or
 * malformed file, a dimension mismatch); 1 when a self-check fails or on an internal error. Errors
 * are one line on stderr, {@code fvec: <message>}; {@code --verbose} adds the stack trace.
 *
 * <p>{@link #run(String[], PrintStream, PrintStream)} never calls {@link System#exit}, so tests
 * drive the tool in-process.
 */
public final class Main {

    /**
     * Set by the launcher to {@code true} or {@code false} after testing stderr with {@code [ -t 2 ]}:
     * the JVM cannot see that itself (stderr may reach it through a filter, and
     * {@link System#console()} looks at stdin and stdout).
     */
    static final String TERMINAL_PROPERTY = "fvec.terminal";

    /**
     * Held so the level set in {@link #main} sticks: java.util.logging keeps loggers weakly. The
     * library logs its kernel choice at INFO; the tool reports it itself (in its summary lines, and
     * with the reason under {@code --verbose}), so the log's two-line records stay off the console.
     */
    private static final Logger LIBRARY_LOG = Logger.getLogger("dev.fvec");

    private Main() {
    }

    public static void main(String[] args) {
        LIBRARY_LOG.setLevel(Level.WARNING);
        boolean terminal = System.getProperty(TERMINAL_PROPERTY) != null
                ? Boolean.getBoolean(TERMINAL_PROPERTY)
                : System.console() != null;
        int status = run(args, System.out, System.err, terminal);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /** Runs one command line with progress as plain lines; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    /** Runs one command line; {@code terminal} says whether {@code err} is a terminal (for progress bars). */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        List<String> list = Arrays.asList(args);
        boolean verbose = list.contains("--verbose") || list.contains("-v");
        try {
            return dispatch(list, out, err, terminal);
        } catch (CliException e) {
            return fail(err, e.getMessage(), e, verbose, e.exitCode());
        } catch (NoSuchFileException e) {
            return fail(err, e.getFile() + ": no such file", e, verbose, CliException.USAGE);
        } catch (AccessDeniedException e) {
            return fail(err, e.getFile() + ": permission denied", e, verbose, CliException.USAGE);
        } catch (IOException e) {
            // dev.fvec.io's exceptions (NpyFormatException among them) name the file.
            return fail(err, e.getMessage() != null ? e.getMessage() : e.toString(), e, verbose, CliException.USAGE);
        } catch (OutOfMemoryError e) {
            return fail(err, "out of memory; give Java a larger heap, e.g. FVEC_JAVA_OPTS=-Xmx8g ./fvec ...", e,
                    verbose, CliException.USAGE);
        } catch (RuntimeException e) {
            return fail(err, "internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)"), e,
                    verbose, CliException.CHECK_FAILED);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int fail(PrintStream err, String message, Throwable e, boolean verbose, int status) {
        err.println("fvec: " + message);
        if (verbose) {
            e.printStackTrace(err);
        }
        return status;
    }

    private static int dispatch(List<String> args, PrintStream out, PrintStream err, boolean terminal)
            throws CliException, IOException {
        // The command is the first argument that is neither an option nor --kernel's value; the
        // common options may come before or after it.
        int at = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--kernel")) {
                i++;
            } else if (a.equals("--")) {
                break;
            } else if (!a.startsWith("-")) {
                at = i;
                break;
            }
        }
        List<String> rest = new ArrayList<>(args);
        String command = at < 0 ? "" : rest.remove(at);
        if (command.isEmpty()) {
            Options o = Options.parse("", List.of(), rest);
            if (args.isEmpty() || o.has("--help")) {
                out.print(Help.MAIN);
                return 0;
            }
            throw new CliException("no command given: expected train, encode or demo (see 'fvec --help')");
        }
        switch (command) {
            case "encode":
                return run(command, EncodeCommand.OPTIONS, Help.ENCODE, rest, out, err, terminal);
            case "train":
                return run(command, TrainCommand.OPTIONS, Help.TRAIN, rest, out, err, terminal);
            case "demo":
                return run(command, DemoCommand.OPTIONS, Help.DEMO, rest, out, err, terminal);
            case "help":
                return help(rest, out);
            default:
                throw new CliException("unknown command '" + command
                        + "': expected train, encode or demo (see 'fvec --help')");
        }
    }

    private static int run(String command, List<Options.Spec> specs, String help, List<String> args,
            PrintStream out, PrintStream err, boolean terminal) throws CliException, IOException {
        Options options = Options.parse(command, specs, args);
        if (options.has("--help")) {
            out.print(help);
            return 0;
        }
        Context ctx = new Context(out, err, terminal, options);
        switch (command) {
            case "encode":
                return EncodeCommand.run(options, ctx);
            case "train":
                return TrainCommand.run(options, ctx);
            default:
                return DemoCommand.run(options, ctx);
        }
    }

    /** {@code fvec help [COMMAND]}. */
    private static int help(List<String> args, PrintStream out) throws CliException {
        String topic = args.isEmpty() ? "" : args.get(0);
        switch (topic) {
            case "":
                out.print(Help.MAIN);
                return 0;
            case "encode":
                out.print(Help.ENCODE);
                return 0;
            case "train":
                out.print(Help.TRAIN);
                return 0;
            case "demo":
                out.print(Help.DEMO);
                return 0;
            default:
                throw new CliException("no help for '" + topic + "': expected train, encode or demo");
        }
    }
}
