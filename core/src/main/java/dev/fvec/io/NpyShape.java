package dev.fvec.io;

/**
 * The shape accessors of {@link NpyArray}, {@link NpyHeader} and {@link NpyBuffer}, written once.
 * A shape is {@code (n,)} or {@code (rows, cols)}; a 1-D array counts as a single row, as
 * {@code numpy.atleast_2d} has it, so a 1-D file holding one descriptor encodes as one descriptor.
 */
abstract class NpyShape {

    NpyShape() {
    }

    /** The shape itself, not a copy; never modified. */
    abstract int[] shapeArray();

    /**
     * The shape, {@code (n)} or {@code (rows, cols)}.
     *
     * @return a copy
     */
    public int[] shape() {
        return shapeArray().clone();
    }

    /**
     * Number of dimensions.
     *
     * @return 1 or 2
     */
    public int ndim() {
        return shapeArray().length;
    }

    /**
     * Number of rows.
     *
     * @return {@code shape[0]} for a 2-D array; 1 for a 1-D array (a single row)
     */
    public int rows() {
        int[] s = shapeArray();
        return s.length == 2 ? s[0] : 1;
    }

    /**
     * Row length.
     *
     * @return {@code shape[1]} for a 2-D array; the length for a 1-D array
     */
    public int cols() {
        int[] s = shapeArray();
        return s.length == 2 ? s[1] : s[0];
    }
}
