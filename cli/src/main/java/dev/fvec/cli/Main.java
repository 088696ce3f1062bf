package dev.fvec.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.io.PrintWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;

/**
 * The {@code fvec} command: {@code train}, {@code encode}, {@code demo}, {@code completion},
 * {@code help}; parsed by picocli (typed options, {@code --help}, {@code --version},
 * {@code @argfile} expansion).
 *
 * <p>Exit status: 0 on success; 2 for bad usage or bad input (no command, an unknown option, a
 * missing or malformed file, a dimension mismatch); 1 when a self-check fails or on an internal
 * error. Errors are one line on stderr, {@code fvec: <message>}; {@code --verbose} adds the stack
 * trace (see {@link Errors}).
 *
 * <p>{@link #run} never calls {@link System#exit}, so tests drive the tool in-process.
 */
public final class Main {

    /**
     * Set by the launcher to {@code true} or {@code false} after testing stderr with {@code [ -t 2 ]}:
     * the JVM cannot see that itself (stderr may reach it through a filter, and
     * {@link System#console()} looks at stdin and stdout).
     */
    static final String TERMINAL_PROPERTY = "fvec.terminal";

    /**
     * Holds the library's logger, so the level {@link #quietLibraryLog} sets sticks (java.util.logging
     * keeps loggers weakly). A class of its own so that java.util.logging (about 130 classes and the
     * logging configuration, 10-25 ms) starts only after the early-start thread has begun the slow
     * part of the kernel choice, and alongside it.
     */
    private static final class LibraryLog {
        static final Logger LOG = Logger.getLogger("dev.fvec");
    }

    /** Help is wrapped to this many columns. */
    private static final int HELP_WIDTH = 100;

    private Main() {
    }

    public static void main(String[] args) {
        quiet = true;
        EarlyStart.begin(args); // first: it runs beside the logging set-up below
        quietLibraryLog();
        boolean terminal = System.getProperty(TERMINAL_PROPERTY) != null
                ? Boolean.getBoolean(TERMINAL_PROPERTY)
                : System.console() != null;
        int status = run(args, System.in, System.out, System.err, terminal);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * Whether {@link #main} runs (one command in its own JVM): only then is the library's log
     * quieted (tests see it as it is) and may a command set JVM-wide properties
     * ({@link WarmUpPolicy}).
     */
    private static volatile boolean quiet;

    /** Whether this JVM runs {@link #main}: one command, its own process. */
    static boolean ownProcess() {
        return quiet;
    }

    /**
     * The library logs its kernel choice at INFO; the tool reports it itself (in its summary lines,
     * and with the reason under {@code --verbose}), so in {@link #main}'s runs the log's two-line
     * records stay off the console. Called before anything takes the kernel choice: by
     * {@link #main}, by the early-start thread (which waits for the main thread's call, if under
     * way: class initialisation) and by {@link Context} (cheap by then).
     */
    static void quietLibraryLog() {
        if (quiet) {
            LibraryLog.LOG.setLevel(Level.WARNING);
        }
    }

    /** The library's logger (java.util.logging started), for {@link StartupTraining}. */
    static Logger libraryLogger() {
        return LibraryLog.LOG;
    }

    /** Runs one command line with progress as plain lines and an empty stdin; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err, false);
    }

    /**
     * Runs one command line; {@code in} is what {@code --inputs-from -} reads, {@code terminal} says
     * whether {@code err} is a terminal (for progress bars).
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        Streams streams = new Streams(in, out, err, terminal);
        DirectParse.Parsed direct = DirectParse.parse(args, streams);
        if (direct != null) {
            return runDirect(direct, out, err);
        }
        CommandLine cli = commandLine(streams, commandNamed(args));
        try {
            cli.setParameterExceptionHandler((e, a) -> Errors.usage(e, a, err));
            cli.setExecutionExceptionHandler((e, c, parsed) -> Errors.failed(e, verbose(parsed), err));
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // picocli hands only exceptions to the handler above
            return Errors.outOfMemory(e, verbose(cli.getParseResult()), err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A command line {@link DirectParse} took: run as picocli's execute would, with the same error handling. */
    private static int runDirect(DirectParse.Parsed parsed, PrintStream out, PrintStream err) {
        try {
            return parsed.command.call();
        } catch (OutOfMemoryError e) {
            return Errors.outOfMemory(e, parsed.verbose(), err);
        } catch (Exception e) {
            return Errors.failed(e, parsed.verbose(), err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Whether {@code --verbose} was given, before or after the command name (or in an @argfile). */
    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** The commands, by name. */
    private static final List<String> COMMANDS = List.of("demo", "train", "encode", "completion", "help");

    /**
     * The command a command line runs, when its first word that is not an option names one; else
     * {@code null}. An option's value cannot be a command name here: the only option taking a value
     * before the command, {@code --kernel}, takes {@code scalar} or {@code simd}.
     */
    static String commandNamed(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--kernel")) {
                i++;
            } else if (!a.startsWith("-") && !a.startsWith("@")) {
                // completion and help describe the whole tree
                return COMMANDS.contains(a) && !a.equals("completion") && !a.equals("help") ? a : null;
            } else if (a.startsWith("@")) {
                return null; // an @argfile may hold the command: build them all
            }
        }
        return null;
    }

    /** The command tree, writing to {@code streams}. */
    static CommandLine commandLine(Streams streams) {
        return commandLine(streams, null);
    }

    /**
     * The command tree, writing to {@code streams}; with {@code only} set, the tree holds just that
     * command (and {@code help}). picocli builds each command's model by reflection when it is
     * added, which is a good part of a one-file run's start-up; a run needs only its own command.
     */
    static CommandLine commandLine(Streams streams, String only) {
        RootCommand root = new RootCommand();
        CommandLine cli = new CommandLine(root);
        if (only == null || only.equals("demo")) {
            cli.addSubcommand("demo", new DemoCommand(root.common, streams));
        }
        if (only == null || only.equals("train")) {
            cli.addSubcommand("train", new TrainCommand(root.common, streams));
        }
        if (only == null || only.equals("encode")) {
            cli.addSubcommand("encode", new EncodeCommand(root.common, streams));
        }
        if (only == null) {
            cli.addSubcommand("completion", new CompletionCommand());
        }
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        cli.setOut(new PrintWriter(streams.out, true));
        cli.setErr(new PrintWriter(streams.err, true));
        cli.setUsageHelpWidth(HELP_WIDTH);
        return cli;
    }

    /** The streams a run writes to and reads {@code --inputs-from -} from. */
    static final class Streams {
        final InputStream in;
        final PrintStream out;
        final PrintStream err;
        /** Whether {@link #err} is a terminal: progress is then a redrawn bar, else plain lines. */
        final boolean terminal;

        Streams(InputStream in, PrintStream out, PrintStream err, boolean terminal) {
            this.in = in;
            this.out = out;
            this.err = err;
            this.terminal = terminal;
        }
    }
}
