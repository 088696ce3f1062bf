package dev.fvec.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The descriptor column types fvec-spark accepts, and their conversion to fvec's row-major
 * {@code float[]} ({@code x[n * D + j]}):
 * <ul>
 *   <li>{@code array<float>} (or {@code array<double>}): one image's {@code N x D} descriptors,
 *       row-major, or with {@link #SINGLE} one descriptor of length {@code D};</li>
 *   <li>{@code array<array<float>>} (or double): one image's descriptors, one inner array of
 *       {@code D} values each;</li>
 *   <li>{@code vector} ({@code org.apache.spark.ml.linalg}): one descriptor.</li>
 * </ul>
 * Doubles are rounded to float, as fvec computes in float. Every bad value fails with the row
 * named (see {@link #read}).
 */
enum Descriptors implements Serializable {
    /** {@code array<float|double>}: {@code N x D} row-major. */
    FLAT,
    /** {@code array<float|double>} of length {@code D}: one descriptor per row. */
    SINGLE,
    /** {@code array<array<float|double>>}. */
    NESTED,
    /** An ml {@code vector}: one descriptor per row. */
    VECTOR;

    /**
     * How an error names row {@code i} of partition {@code partition}: with the value of the
     * {@code idField} column ({@code idName}, of {@code idType}) when there is one ({@code >= 0}).
     * A supplier, so that the text is only built when a row fails.
     */
    static java.util.function.Supplier<String> where(long i, int partition, InternalRow row, int idField,
            String idName, DataType idType) {
        return () -> "row " + i + " of partition " + partition
                + (idField >= 0 ? " (" + idName + " = " + row.get(idField, idType) + ")" : "");
    }

    /**
     * The kind of column {@code col} of {@code schema}; {@code flatIsSet} chooses between
     * {@link #FLAT} (a set of descriptors) and {@link #SINGLE} for {@code array<float>}.
     *
     * @throws IllegalArgumentException if the column is missing or of another type (names both)
     */
    static Descriptors of(StructType schema, String col, boolean flatIsSet) {
        if (col == null || col.isEmpty()) {
            throw new IllegalArgumentException("the input column is not set (setInputCol)");
        }
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException("input column '" + col + "' is not in the schema " + schema.simpleString());
        }
        DataType t = schema.apply(col).dataType();
        if (isRealArray(t)) {
            return flatIsSet ? FLAT : SINGLE;
        }
        if (t instanceof ArrayType && isRealArray(((ArrayType) t).elementType())) {
            return NESTED;
        }
        if (t.equals(SQLDataTypes.VectorType())) {
            return VECTOR;
        }
        throw new IllegalArgumentException("input column '" + col + "' has type " + t.simpleString()
                + "; expected array<float> (N x D row-major), array<array<float>> (N arrays of D) or vector"
                + " (double for float is accepted too)");
    }

    private static boolean isRealArray(DataType t) {
        if (!(t instanceof ArrayType)) {
            return false;
        }
        DataType e = ((ArrayType) t).elementType();
        return e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType);
    }

    /**
     * The descriptors in field {@code field} of {@code row}, row-major, {@code N x d}; the number of
     * descriptors is {@code result.length / d}.
     *
     * @param where names the row in messages (called only on failure)
     * @throws IllegalArgumentException naming the row if the value is null, holds a null, has a
     *     length that is not a multiple of {@code d} (or an inner array or vector not of length
     *     {@code d}); the values themselves are not checked (NaN, infinity, magnitude): the
     *     caller's consumer does that once (the encoder, or the trainer's range check)
     */
    float[] read(Row row, int field, int d, java.util.function.Supplier<String> where) {
        if (row.isNullAt(field)) {
            throw new IllegalArgumentException(where.get() + ": the descriptors are null");
        }
        float[] x;
        switch (this) {
            case VECTOR: {
                x = floats((Vector) row.get(field), d, where);
                break;
            }
            case NESTED: {
                List<Object> outer = row.getList(field);
                x = new float[Math.multiplyExact(outer.size(), d)];
                for (int n = 0; n < outer.size(); n++) {
                    Object inner = outer.get(n);
                    if (inner == null) {
                        throw new IllegalArgumentException(where.get() + ": descriptor " + n + " is null");
                    }
                    // Spark gives an array<array<...>> element as a scala Seq (its row format).
                    @SuppressWarnings("unchecked")
                    scala.collection.Seq<Object> seq = (scala.collection.Seq<Object>) inner;
                    List<Object> values = scala.jdk.javaapi.CollectionConverters.asJava(seq);
                    if (values.size() != d) {
                        throw new IllegalArgumentException(where.get() + ": descriptor " + n + " has length "
                                + values.size() + ", expected D = " + d);
                    }
                    copy(values, x, n * d, where);
                }
                break;
            }
            default: {
                List<Object> values = row.getList(field);
                if (this == SINGLE ? values.size() != d : values.size() % d != 0) {
                    throw new IllegalArgumentException(where.get() + ": " + values.size() + " values, "
                            + (this == SINGLE ? "expected one descriptor of D = " + d
                                    : "not a multiple of D = " + d + " (descriptors are N x D row-major)"));
                }
                x = new float[values.size()];
                copy(values, x, 0, where);
                break;
            }
        }
        return x;
    }

    private static void copy(List<Object> values, float[] x, int offset, java.util.function.Supplier<String> where) {
        for (int i = 0; i < values.size(); i++) {
            Object o = values.get(i);
            if (o == null) {
                throw new IllegalArgumentException(where.get() + ": value " + (offset + i) + " is null");
            }
            x[offset + i] = ((Number) o).floatValue();
        }
    }
    /**
     * As {@link #read(Row, int, int, java.util.function.Supplier)}, on Spark's internal row
     * ({@code type} is the column's type): arrays are copied out whole
     * ({@link ArrayData#toFloatArray()}, a memory copy for Spark's own row format) instead of
     * element by element through boxed values, which cost more than the encoding itself.
     */
    float[] read(InternalRow row, int field, DataType type, int d, java.util.function.Supplier<String> where) {
        Buffer b = new Buffer();
        read(row, field, type, d, where, b);
        return Arrays.copyOf(b.values, b.length);
    }

    /** A float array reused from row to row: {@code values[0 .. length)} is the last row read. */
    static final class Buffer {
        float[] values = new float[0];
        int length;

        /** {@code values} with room for {@code n} floats (its contents then undefined), and {@code length = n}. */
        float[] take(int n) {
            if (values.length < n) {
                values = new float[Math.max(n, (int) Math.min(Integer.MAX_VALUE - 8, values.length * 3L / 2))];
            }
            length = n;
            return values;
        }
    }

    /**
     * As {@link #read(InternalRow, int, DataType, int, java.util.function.Supplier)}, into
     * {@code into} (reused: the transformer reads every row of a partition into one array, where a
     * new array per row of 1,000 x 64 descriptors made a quarter of a megabyte of garbage per image).
     */
    void read(InternalRow row, int field, DataType type, int d, java.util.function.Supplier<String> where,
            Buffer into) {
        if (row.isNullAt(field)) {
            throw new IllegalArgumentException(where.get() + ": the descriptors are null");
        }
        float[] x;
        switch (this) {
            case VECTOR: {
                float[] v = floats(VECTOR_UDT.deserialize(row.getStruct(field, VECTOR_UDT.sqlType().size())), d, where);
                System.arraycopy(v, 0, into.take(d), 0, d);
                break;
            }
            case NESTED: {
                ArrayType outerType = (ArrayType) type;
                ArrayType innerType = (ArrayType) outerType.elementType();
                ArrayData outer = row.getArray(field);
                int n = outer.numElements();
                x = into.take(Math.multiplyExact(n, d));
                for (int i = 0; i < n; i++) {
                    if (outer.isNullAt(i)) {
                        throw new IllegalArgumentException(where.get() + ": descriptor " + i + " is null");
                    }
                    ArrayData inner = outer.getArray(i);
                    if (inner.numElements() != d) {
                        throw new IllegalArgumentException(where.get() + ": descriptor " + i + " has length "
                                + inner.numElements() + ", expected D = " + d);
                    }
                    copy(inner, innerType, x, i * d, where);
                }
                break;
            }
            default: {
                ArrayData values = row.getArray(field);
                int n = values.numElements();
                if (this == SINGLE ? n != d : n % d != 0) {
                    throw new IllegalArgumentException(where.get() + ": " + n + " values, "
                            + (this == SINGLE ? "expected one descriptor of D = " + d
                                    : "not a multiple of D = " + d + " (descriptors are N x D row-major)"));
                }
                x = into.take(n);
                copy(values, (ArrayType) type, x, 0, where);
                break;
            }
        }
    }

    private static final VectorUDT VECTOR_UDT = new VectorUDT();

    /** {@code a}'s values (float or double, of type {@code type}) into {@code x} from {@code offset}. */
    private static void copy(ArrayData a, ArrayType type, float[] x, int offset, java.util.function.Supplier<String> where) {
        int n = a.numElements();
        if (type.containsNull()) {
            for (int i = 0; i < n; i++) {
                if (a.isNullAt(i)) {
                    throw new IllegalArgumentException(where.get() + ": value " + (offset + i) + " is null");
                }
            }
        }
        if (type.elementType().equals(DataTypes.FloatType)) {
            if (a instanceof UnsafeArrayData) {
                // Straight from Spark's buffer, without the intermediate array toFloatArray makes.
                UnsafeArrayData u = (UnsafeArrayData) a;
                Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n),
                        x, Platform.FLOAT_ARRAY_OFFSET + 4L * offset, 4L * n);
            } else {
                for (int i = 0; i < n; i++) {
                    x[offset + i] = a.getFloat(i);
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                x[offset + i] = (float) a.getDouble(i);
            }
        }
    }

    /** One descriptor given as an ml vector, as floats; its length must be {@code d}. */
    private static float[] floats(Vector v, int d, java.util.function.Supplier<String> where) {
        if (v.size() != d) {
            throw new IllegalArgumentException(where.get() + ": a descriptor of length " + v.size()
                    + ", expected D = " + d);
        }
        float[] x = new float[d];
        for (int j = 0; j < d; j++) {
            x[j] = (float) v.apply(j);
        }
        return x;
    }
}
