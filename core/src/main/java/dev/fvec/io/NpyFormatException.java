package dev.fvec.io;

import java.io.IOException;

/**
 * A {@code .npy} or {@code .npz} file that is malformed, truncated, oversized or holds something
 * fvec does not read (an unsupported dtype, Fortran order, a 3-D array, an invalid model).
 *
 * <p>The message always has the form {@code "<source>: <problem>"}, where the source is the file
 * path or, inside an archive, {@code "<archive>, entry <name>"}; {@link #source()} and
 * {@link #problem()} return the two parts.
 */
public class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source the file path or archive entry the problem is in
     * @param problem what is wrong, with the offending values
     */
    public NpyFormatException(String source, String problem) {
        this(source, problem, null);
    }

    /**
     * @param source the file path or archive entry the problem is in
     * @param problem what is wrong, with the offending values
     * @param cause the lower-level failure, if any
     */
    public NpyFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file path or archive entry the problem is in. */
    public String source() {
        return source;
    }

    /** What is wrong, without the source prefix. */
    public String problem() {
        return problem;
    }
}
