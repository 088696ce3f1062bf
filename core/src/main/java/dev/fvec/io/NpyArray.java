package dev.fvec.io;

import java.util.Arrays;

/**
 * A 1-D or 2-D float32 array as read from, or written to, a {@code .npy} file.
 *
 * <p>Layout: row-major (C order). For a 2-D array of shape {@code (rows, cols)} the element at
 * {@code (r, c)} is {@code data()[r * cols + c]}. A 1-D array of shape {@code (n,)} is treated as
 * a single row, as {@code numpy.atleast_2d} does: {@code rows() == 1}, {@code cols() == n}. So a
 * 1-D file holding one descriptor encodes as one descriptor, and a 1-D Fisher vector is one row.
 *
 * <p>Empty arrays are allowed: shape {@code (0, D)} (no descriptors, as SPEC.md allows
 * {@code N = 0}), {@code (N, 0)} and {@code (0,)}.
 *
 * <p>{@link #data()} returns the live array, not a copy, so a large descriptor set is never held
 * twice; the shape is immutable. Values are whatever the file held: NaN and infinity are not
 * rejected here (the encoder and {@link dev.fvec.DiagonalGmm} reject them, naming the index).
 */
public final class NpyArray extends NpyShape {

    private final int[] shape;
    private final float[] data;

    /**
     * Wraps {@code data} (not copied) with the given shape.
     *
     * @param shape {@code (n)} or {@code (rows, cols)}, every dimension {@code >= 0}
     * @param data row-major values, {@code data.length == product(shape)}
     * @throws IllegalArgumentException if the shape is not 1-D or 2-D, has a negative dimension,
     *     or does not match {@code data.length}
     */
    public NpyArray(int[] shape, float[] data) {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape and data must not be null");
        }
        if (shape.length != 1 && shape.length != 2) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                    + " has " + shape.length + " dimensions; only 1-D and 2-D arrays are supported");
        }
        long product = 1;
        for (int dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            product *= dim; // two ints: cannot overflow a long
        }
        if (product != data.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " holds " + product
                    + " elements but data has length " + data.length);
        }
        this.shape = shape.clone();
        this.data = data;
    }

    /** A 2-D array of shape {@code (rows, cols)} over {@code data} (not copied). */
    public static NpyArray matrix(float[] data, int rows, int cols) {
        return new NpyArray(new int[] {rows, cols}, data);
    }

    /** A 1-D array of shape {@code (data.length,)} over {@code data} (not copied). */
    public static NpyArray vector(float[] data) {
        return new NpyArray(new int[] {data.length}, data);
    }





    /** Number of elements, {@code data().length}. */
    public int size() {
        return data.length;
    }

    /**
     * The values, row-major: element {@code (r, c)} is at {@code r * cols() + c}. This is the live
     * array, not a copy: writes to it are visible through this object.
     */
    public float[] data() {
        return data;
    }

    /** The shape as NumPy prints it: {@code (3,)} or {@code (3, 4)}. */
    static String shapeString(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    int[] shapeArray() {
        return shape;
    }

    @Override
    public String toString() {
        return "NpyArray" + shapeString(shape);
    }
}
