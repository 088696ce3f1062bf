package dev.fvec.cli;

/**
 * A failure the user can act on: a bad option, a missing or malformed file, a dimension mismatch.
 * {@link Main} prints its message as one line, {@code fvec: <message>}, and exits with
 * {@link #exitCode()}; the stack trace only with {@code --verbose}.
 */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Bad usage or bad input. */
    static final int USAGE = 2;
    /** A self-check failed (the demo's SIMD-versus-scalar comparison). */
    static final int CHECK_FAILED = 1;

    private final int exitCode;

    CliException(String message) {
        this(message, null, USAGE);
    }

    CliException(String message, Throwable cause) {
        this(message, cause, USAGE);
    }

    CliException(String message, Throwable cause, int exitCode) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
