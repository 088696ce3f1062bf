package dev.fvec.spark;

import dev.fvec.SpatialModel;
import java.io.Serializable;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns of the spatial layout ({@code docs/SPATIAL.md}): each image's positions and its size,
 * read from Spark rows into what {@link dev.fvec.SpatialEncoder} and {@link dev.fvec.SpatialFit}
 * take.
 * <ul>
 *   <li>positions: {@code array<float|double>} of {@code N x 2} row-major ({@code x0, y0, x1, y1,
 *       ...}, pixels, origin top-left), or {@code array<array<float|double>>} ({@code N} pairs
 *       {@code (x, y)}); one per descriptor, in the descriptors' order;</li>
 *   <li>image size: {@code array<int|long|float|double>} {@code (W, H)}, integral and {@code >= 1}
 *       (an {@code .npz} image's {@code image_size}).</li>
 * </ul>
 * Every failure names the row (the caller's {@code where}) and what is wrong: a null, a count that
 * is not one {@code (x, y)} per descriptor, a value that is not finite or lies outside
 * {@code [0, W] x [0, H]}.
 */
final class SpatialColumns implements Serializable {

    private static final long serialVersionUID = 1L;

    final int positionsField;
    final boolean nested;
    final DataType positionsType;
    final int sizeField;
    final DataType sizeType;

    private SpatialColumns(int positionsField, boolean nested, DataType positionsType, int sizeField,
            DataType sizeType) {
        this.positionsField = positionsField;
        this.nested = nested;
        this.positionsType = positionsType;
        this.sizeField = sizeField;
        this.sizeType = sizeType;
    }

    /**
     * The two columns of {@code schema}, checked.
     *
     * @param owner names the params in messages, e.g. {@code "positionsCol"}
     * @throws IllegalArgumentException naming the param and column if one is unset, missing or of
     *     another type
     */
    static SpatialColumns of(StructType schema, String positionsCol, String sizeCol, String why) {
        if (positionsCol == null || positionsCol.isEmpty()) {
            throw new IllegalArgumentException(why + " needs each image's positions: set positionsCol (array<float> of"
                    + " N x 2 (x, y) pixels, or array<array<float>>) and imageSizeCol (array<int> (W, H))");
        }
        if (sizeCol == null || sizeCol.isEmpty()) {
            throw new IllegalArgumentException(why + " needs each image's size: set imageSizeCol (array<int> (W, H),"
                    + " the image_size of an .npz image)");
        }
        List<String> names = java.util.Arrays.asList(schema.fieldNames());
        if (!names.contains(positionsCol)) {
            throw new IllegalArgumentException("positions column '" + positionsCol + "' is not in the schema "
                    + schema.simpleString());
        }
        if (!names.contains(sizeCol)) {
            throw new IllegalArgumentException("image size column '" + sizeCol + "' is not in the schema "
                    + schema.simpleString());
        }
        DataType p = schema.apply(positionsCol).dataType();
        boolean nested;
        if (isArrayOf(p, true)) {
            nested = false;
        } else if (p instanceof ArrayType && isArrayOf(((ArrayType) p).elementType(), true)) {
            nested = true;
        } else {
            throw new IllegalArgumentException("positions column '" + positionsCol + "' has type " + p.simpleString()
                    + "; expected array<float> (N x 2 row-major: x, y in pixels) or array<array<float>> (N pairs)"
                    + " (double for float is accepted too)");
        }
        DataType s = schema.apply(sizeCol).dataType();
        if (!isArrayOf(s, false)) {
            throw new IllegalArgumentException("image size column '" + sizeCol + "' has type " + s.simpleString()
                    + "; expected array<int> (W, H) (long, float or double with integral values are accepted too)");
        }
        return new SpatialColumns(schema.fieldIndex(positionsCol), nested, p, schema.fieldIndex(sizeCol), s);
    }

    private static boolean isArrayOf(DataType t, boolean realOnly) {
        if (!(t instanceof ArrayType)) {
            return false;
        }
        DataType e = ((ArrayType) t).elementType();
        return e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType)
                || (!realOnly && (e.equals(DataTypes.IntegerType) || e.equals(DataTypes.LongType)));
    }

    /**
     * Reads row {@code row}'s positions into {@code into} ({@code 2n} floats) and returns the image
     * size {@code {W, H}}, after checking everything {@link dev.fvec.SpatialEncoder} would, with
     * the row named.
     *
     * @param n the row's number of descriptors
     */
    int[] read(InternalRow row, int n, Descriptors.Buffer into, Supplier<String> where) {
        int[] size = size(row, where);
        if (row.isNullAt(positionsField)) {
            throw new IllegalArgumentException(where.get() + ": the positions are null");
        }
        ArrayData a = row.getArray(positionsField);
        float[] p;
        if (nested) {
            ArrayType innerType = (ArrayType) ((ArrayType) positionsType).elementType();
            int count = a.numElements();
            requireCount(count, n, " positions (x, y)", where);
            p = into.take(2 * n);
            for (int i = 0; i < count; i++) {
                if (a.isNullAt(i)) {
                    throw new IllegalArgumentException(where.get() + ": the position of descriptor " + i + " is null");
                }
                ArrayData pair = a.getArray(i);
                if (pair.numElements() != 2) {
                    throw new IllegalArgumentException(where.get() + ": the position of descriptor " + i + " has "
                            + pair.numElements() + " values, expected 2 (x, y)");
                }
                p[2 * i] = value(pair, 0, innerType, where);
                p[2 * i + 1] = value(pair, 1, innerType, where);
            }
        } else {
            int count = a.numElements();
            if (count != 2 * n) {
                throw new IllegalArgumentException(where.get() + ": " + count + " position values for " + n
                        + " descriptors; expected " + 2L * n + " (x, y per descriptor, N x 2 row-major)");
            }
            p = into.take(count);
            ArrayType type = (ArrayType) positionsType;
            for (int i = 0; i < count; i++) {
                p[i] = value(a, i, type, where);
            }
        }
        check(p, n, size[0], size[1], where);
        return size;
    }

    private static void requireCount(int count, int n, String what, Supplier<String> where) {
        if (count != n) {
            throw new IllegalArgumentException(where.get() + ": " + count + what + " for " + n
                    + " descriptors; expected one per descriptor");
        }
    }

    private static float value(ArrayData a, int i, ArrayType type, Supplier<String> where) {
        if (a.isNullAt(i)) {
            throw new IllegalArgumentException(where.get() + ": position value " + i + " is null");
        }
        return type.elementType().equals(DataTypes.FloatType) ? a.getFloat(i) : (float) a.getDouble(i);
    }

    private int[] size(InternalRow row, Supplier<String> where) {
        if (row.isNullAt(sizeField)) {
            throw new IllegalArgumentException(where.get() + ": the image size is null");
        }
        ArrayData s = row.getArray(sizeField);
        DataType e = ((ArrayType) sizeType).elementType();
        return size(s.numElements(), i -> s.isNullAt(i) ? null : s.get(i, e), where);
    }

    private static int[] size(int count, java.util.function.IntFunction<Object> get, Supplier<String> where) {
        if (count != 2) {
            throw new IllegalArgumentException(where.get() + ": the image size has " + count
                    + " values, expected 2 (W, H)");
        }
        int[] wh = new int[2];
        for (int i = 0; i < 2; i++) {
            Object o = get.apply(i);
            double v = o == null ? Double.NaN : ((Number) o).doubleValue();
            if (!(v >= 1 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
                throw new IllegalArgumentException(where.get() + ": image size (W, H) has " + (i == 0 ? "W" : "H")
                        + " = " + o + "; expected an integer >= 1");
            }
            wh[i] = (int) v;
        }
        return wh;
    }

    /** Finite and inside the image, as the encoder requires, with the row named. */
    static void check(float[] p, int n, int w, int h, Supplier<String> where) {
        for (int i = 0; i < n; i++) {
            float x = p[2 * i];
            float y = p[2 * i + 1];
            if (!Float.isFinite(x) || !Float.isFinite(y)) {
                throw new IllegalArgumentException(where.get() + ": the position of descriptor " + i + " (x = " + x
                        + ", y = " + y + ") is not finite");
            }
            if (!(x >= 0 && x <= w && y >= 0 && y <= h)) {
                throw new IllegalArgumentException(where.get() + ": the position of descriptor " + i + " (x = " + x
                        + ", y = " + y + ") lies outside the image [0, " + w + "] x [0, " + h + "]");
            }
        }
    }

    /**
     * The encoder's layout options, shippable to executors: the pyramid (its text, as
     * {@link dev.fvec.PyramidLayout#parse} reads it; empty: {@code 1x1}) and the spatial Gaussians
     * ({@code null}: no spatial block).
     */
    static final class Layout implements Serializable {
        private static final long serialVersionUID = 1L;

        final String pyramid;
        final double[] means;
        final double[] variances;

        Layout(String pyramid, SpatialModel spatial) {
            this.pyramid = pyramid;
            this.means = spatial == null ? null : spatial.means();
            this.variances = spatial == null ? null : spatial.variances();
        }

        dev.fvec.PyramidLayout layout() {
            return pyramid.isEmpty() ? dev.fvec.PyramidLayout.WHOLE : dev.fvec.PyramidLayout.parse(pyramid);
        }

        SpatialModel spatial() {
            return means == null ? null : SpatialModel.of(means, variances);
        }
    }
}
